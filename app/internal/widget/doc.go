// Package widget holds Signet's custom Fyne widgets: the signing pad and the
// signature panel that hosts it, and the other touch widgets the kiosk's
// screens share. Each widget lives in its own file; none of them knows about
// the guest flow, so screens wire them up and translate their labels.
package widget
