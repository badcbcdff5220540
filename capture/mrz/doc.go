// Package mrz parses and reads the machine-readable zone (MRZ) of travel
// documents as specified by ICAO Doc 9303: TD1 identity cards (3 × 30), TD2
// documents (2 × 36), TD3 passports (2 × 44) and the MRV-A / MRV-B visas that
// share the TD3 and TD2 sizes.
//
// [Parse] takes text lines; [Read] finds the zone in a photograph and reads
// it. Both end in the same solver: every position keeps a few ranked
// candidate characters, and a dynamic programme over the check digits'
// residues (each field's and the composite) picks the cheapest combination
// that validates, so one doubtful character does not spoil a read. Every
// check is reported on its own ([Result.Checks]); a result whose checks fail
// is still returned with them marked.
//
// # Parsing text
//
// Parse corrects only what the field type decides: a letter O, I, B, S, Z or
// G in a digits-only field (dates, check digits) or the matching digit in a
// letters-only one (codes, names). In an alphanumeric field the check digits
// cannot tell such a twin from any other single error (the composite
// repeats the document number's weights), so Parse flags the field instead
// of guessing.
//
// # Reading a picture
//
// Read works in plain Go, with OCR-B glyphs rendered from the embedded font
// at start-up:
//
//  1. locate: the picture is scaled to at most 1000 pixels, binarised
//     against its local mean, and split into connected components; those of
//     letter size are chained into text lines, and two or three long,
//     parallel, evenly spaced lines make a candidate zone (the picture is
//     also tried a quarter turned, and each zone upside down);
//  2. segment and rectify: the character pitch is the period that best
//     fits the components' centres; each line's characters are then indexed
//     from its middle outwards, a few pitches at a time, and their positions
//     fitted as smooth functions of the index, which follows skew, bending
//     and the pitch that perspective shrinks along the line (components
//     taller than a letter or off the fit, such as a card's edge, are left
//     out); the window of 30, 36 or 44 cells with the most ink, aligned
//     across lines, is the line (a window that leaves characters outside or
//     blanks inside rules the format out). ICAO 9303 prints every line from
//     the same margin at the same pitch, so the columns run up the
//     document's own vertical: their slant against the lines, fitted along
//     the zone, is the shear that a turned card seen in perspective gives
//     its characters, and each cell is sampled along its own line and
//     column (upright when the slant does not match the font clearly
//     better: printers do not always start the lines exactly together);
//  3. classify: each cell is sampled from the original picture and
//     correlated (normalised cross-correlation, a few pixels of jitter) with
//     every glyph, from the best of twelve template sets of different blur
//     and stroke weight: every glyph at the cell's centre; where one
//     clearly leads there, the likeliest few find the cell's best offset
//     and the rest are scored at it; where none does (the cell may sit off
//     centre), every glyph searches the offsets at half resolution first;
//     the likeliest are refined to the pixel. A second pass uses templates
//     averaged from the zone's own trusted characters;
//  4. decide: the likeliest candidates per cell, restricted to the field's
//     kind, go to the solver, which allows at most one correction per field
//     and only real calendar dates; state codes snap to codes ICAO knows. A
//     zone that does not validate is sampled again foreshortened across its
//     lines. A read whose checks hold only after corrections of a poor match
//     is not reported valid, and every corrected character is listed in
//     [Result.Corrections] with the field's kind, the state code or the
//     check digits that decided it.
//
// # Voting over frames
//
// A camera delivers many frames of the document a guest holds up. A
// [Voter] takes the reads of consecutive frames, keeps those that read the
// same zone as most others, adds up every frame's correlations cell by
// cell (a frame that matched the font well weighing more) and solves the
// check digits on the sums: characters one frame misreads the others
// outvote. The voted result is valid only when every check digit holds on
// it; its [Tally] says how many frames agreed on each line.
//
// On the 34 specimen images of ../shared/datasets/mrz-specimens (see
// TestSpecimens) it reads 32 with every check digit valid (PassportEye, with
// Tesseract: 19). The two it does not validate carry check digits that do
// not hold as printed (TestSpecimensInvalidAsPrinted): 0_id-esp's document
// number AAA100001 (printed 4, ICAO's weights give 8), birth date 721201
// (printed 8, gives 1) and composite (printed 8, gives 1), which it reads as
// printed; and 77_card-cmw's composite (printed 1, gives 0: its maker seems
// to have summed the whole upper line, IDCMW included), a card not printed
// in OCR-B. Calling either valid would be a false valid. On the synthetic
// capture set of TestCaptureSet (30 documents in raw 1920×1080 JPEG
// frames: TD1, TD2 and TD3 at 43–67 % of the frame width, turned up to
// ±9°, corners moved by up to 6.5 % in perspective, glare, blur σ
// 0.5–1.4, light 52–92 %, sensor noise, JPEG quality 50–75) it reads all
// 30 exactly from one frame and all 30 voted over five, and finds nothing
// valid in 30 frames without a document (22 of which show a sheet of
// zone-like OCR-B text). BenchmarkReadFrame and
// BenchmarkReadSpecimens (GOMAXPROCS=1, CPU time, -benchtime 12x), the
// reader before and after the correlation search was cut, measured in two
// back-to-back runs on a shared machine at a load average near 2: 90–94
// and 49–51 ms per 1080p frame, 73–75 and 35–40 ms per specimen image
// (at a load average near 11: 77 and 45, 84 and 51). The same code has
// varied by up to half between runs on this machine.
//
// Results hold personal data. [Result] and [Document] print masked through
// fmt and slog; only the JSON of the command line reveals the fields.
package mrz
