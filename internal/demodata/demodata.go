// Package demodata is the one fictional world that demo mode, the simulator,
// the synthetic camera and the tests share: the same people are StoRegister
// tenants, Mews customers and the holder of the synthetic ID card.
package demodata

// Credentials the simulator accepts. They protect nothing and are public.
const (
	StoRegisterAPIKey = "sim-storegister-key"
	MewsClientToken   = "sim-mews-client-token"
	MewsAccessToken   = "sim-mews-access-token"
)

// Person is a tenant of a booking and a customer in Mews.
type Person struct {
	BookingID string // StoRegister booking activity id (GUID)
	FirstName string
	LastName  string
	Email     string
	Phone     string
	BirthDate string // YYYY-MM-DD
	Unit      string
	MoveIn    string // YYYY-MM-DD
	// MewsCustomerID is the person's customer id in the simulated Mews.
	MewsCustomerID string
}

// People are the seeded bookings, in order. The first holds the synthetic ID card.
var People = []Person{
	{BookingID: "7c9e6679-7425-40de-944b-e07fc1f90ae7", FirstName: "Anna Maria", LastName: "Eriksson",
		Email: "anna.eriksson@example.com", Phone: "+46 70 123 45 67", BirthDate: "1974-08-12",
		Unit: "A-112 (5 m²)", MoveIn: "2026-11-24", MewsCustomerID: "35d4b117-4e60-44a3-9580-c582117eff98"},
	{BookingID: "16fd2706-8baf-433b-82eb-8c7fada847da", FirstName: "Jan", LastName: "de Vries",
		Email: "jan.devries@example.nl", Phone: "+31 6 1234 5678", BirthDate: "1988-03-02",
		Unit: "B-204 (10 m²)", MoveIn: "2026-11-25", MewsCustomerID: "c1a2b3c4-d5e6-47f8-9a0b-1c2d3e4f5a6b"},
	{BookingID: "a8098c1a-f86e-41d3-b9e0-1c2a7d8e3a55", FirstName: "Sofía", LastName: "García López",
		Email: "sofia.garcia@example.es", Phone: "+34 612 345 678", BirthDate: "1991-12-30",
		Unit: "C-018 (2 m²)", MoveIn: "2026-11-26", MewsCustomerID: "8f14e45f-ceea-467a-9b2d-3c4e5f6a7b8c"},
	{BookingID: "e4eaaaf2-d142-41c1-b1d8-5bd0b3a1f2c9", FirstName: "Lukas", LastName: "Müller",
		Email: "lukas.mueller@example.de", Phone: "+49 151 2345 6789", BirthDate: "1979-05-17",
		Unit: "D-301 (15 m²)", MoveIn: "2026-11-27", MewsCustomerID: "d3b07384-d9a0-4c9b-8f5e-6a7b8c9d0e1f"},
}

// DocumentTypes are StoRegister's identity document types in the simulator.
var DocumentTypes = []struct{ ID, Name string }{
	{"0b6a1c6e-1f0e-4c8e-9d1a-2b3c4d5e6f70", "Passport"},
	{"1c7b2d7f-2a1f-4d9f-8e2b-3c4d5e6f7081", "Identity card"},
	{"2d8c3e80-3b2a-4ea0-9f3c-4d5e6f708192", "Driving licence"},
	{"3e9d4f91-4c3b-4fb1-8a4d-5e6f708192a3", "Residence permit"},
}

// CardMRZ is the machine-readable zone (ICAO 9303 TD1) printed on the
// synthetic camera's identity card: Anna Maria Eriksson, Utopia (UTO),
// document D23145890, born 1974-08-12, female, expires 2034-12-15.
// Every check digit is valid.
var CardMRZ = [3]string{
	"I<UTOD231458907<<<<<<<<<<<<<<<",
	"7408122F3412156UTO<<<<<<<<<<<0",
	"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
}

// Card fields as printed in the visual zone of the synthetic card.
const (
	CardNumber = "D23145890"
	CardExpiry = "2034-12-15"
	CardState  = "UTO"
)

// BookingQR is what the synthetic camera's booking QR code holds: a URL that
// contains the first booking's id, as a confirmation e-mail would.
var BookingQR = "https://book.example.com/move-in?booking=" + People[0].BookingID
