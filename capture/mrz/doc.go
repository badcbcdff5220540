// Package mrz parses and reads the machine-readable zone (MRZ) of travel
// documents as specified by ICAO Doc 9303: TD1 identity cards (3 × 30), TD2
// documents (2 × 36), TD3 passports (2 × 44) and the MRV-A / MRV-B visas that
// share the TD3 and TD2 sizes.
//
// Parse takes text lines; Read finds the zone in a photograph and classifies
// its characters against OCR-B templates rendered from the typeface. Both end
// in the same solver: every position keeps a few ranked candidate characters
// and the check digits (each field's and the composite) pick the cheapest
// combination that validates, so one doubtful character does not spoil a read.
//
// Results hold personal data. Result and Document print masked through fmt
// and slog; only the JSON of the command line reveals the fields.
package mrz
