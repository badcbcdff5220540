package app

import (
	"time"
)

func (k *Kiosk) formatDate(d time.Time) string {
	layout := k.tr.T("confirm.date_layout")
	if layout == "confirm.date_layout" || layout == "" {
		layout = time.DateOnly
	}
	return d.Format(layout)
}
