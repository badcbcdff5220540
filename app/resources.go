package app

import (
	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/assets"
)

// ResourceIcon is the application icon as a Fyne resource.
var ResourceIcon = fyne.NewStaticResource("signet.png", assets.IconPNG)
