// Package signature is the kiosk's signature model: strokes of timed points,
// smoothed and drawn the way signature_pad draws them, and exported as the
// PNG the booking API stores.
//
// Input points are filtered (a minimum distance and at most one point per
// frame interval), smoothed with cubic Bézier curves through the last four
// points, and drawn with a width that follows the filtered pen velocity,
// eased along each curve. A stroke of one point is a dot.
//
// Drawing is incremental: AddPoint draws only the new curve into a
// caller-owned *image.RGBA (a Surface), so a pad widget never redraws the
// whole image per point. Render draws everything again from the points (after
// a resize), and PNG re-renders from the points at the export width, so the
// exported image never depends on the screen.
//
// Ink is rasterised as the union of tapered capsules with an analytic
// one-pixel anti-aliasing ramp, composited by maximum coverage: overlapping
// pieces never darken, so strokes show no seams, notches or beads, and the
// result does not depend on the order the pieces were drawn in. That is what
// makes the incremental drawing and the full re-render produce the same
// pixels.
//
// Coordinates are pad units (the widget's device-independent units); times
// are milliseconds.
package signature
