// Package idscan turns camera frames of an identity document into
// upload-ready stills.
//
// Live checks ([Analyzer]) run on each preview frame's luma plane against
// the guide frame: the region around the guide is area-averaged to a fixed
// analysis width, the card's four edges are looked for around the guide
// (outermost straight luma step on 64 scanlines per side, fitted robustly),
// and sharpness (variance of the Laplacian, against an absolute floor and the
// recent maximum), glare (saturated share overall and per grid cell),
// exposure (mean luma) and steadiness (thumbnail difference from the previous
// frame) are measured inside the card. Every check gives a value, pass/fail
// and a [Hint] key for the UI to translate.
//
// [Scanner] is the auto-capture state machine on top: every check passing for
// SteadyFor (an injectable clock) asks for the full-resolution frame, whose
// sharpness is re-checked in [Scanner.Confirm]; [Scanner.Shutter] is the
// manual path, which [Analyzer.Presence] guards: no document in the frame,
// no photo. [FingerprintOf] and [SameSide] tell a card's back from its front
// shown again; [Scanner.Avoid] makes auto-capture pass over the front.
//
// [MakeStill] crops the card (perspective-corrected from its four corners,
// else the guide frame), turns it upright in landscape, caps the long side
// and encodes a metadata-free JPEG under a byte limit. [Classify] maps
// StoRegister's document type names to their sides and filenames.
//
// The default thresholds are calibrated on the synthetic camera; see
// CALIBRATION.md.
package idscan
