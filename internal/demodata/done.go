package demodata

// DoneMessage is demo mode's kiosk.done_message: the operator's next step
// on the Done screen, in each language.
var DoneMessage = map[string]string{
	"en": "Your access code and padlock are waiting at the front desk.",
	"fr": "Votre code d'accès et votre cadenas vous attendent à l'accueil.",
	"es": "Su código de acceso y su candado le esperan en recepción.",
	"de": "Ihr Zugangscode und Ihr Vorhängeschloss liegen am Empfang bereit.",
	"nl": "Uw toegangscode en hangslot liggen klaar bij de balie.",
}
