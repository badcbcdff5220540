package storegister

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/preview")

// previewView is a decoded booking with its personal fields revealed, as the
// golden files hold it.
type previewView struct {
	ID, Status                                  string
	FirstName, LastName, Email, Phone, TenantID string
	Address, City, PostalCode                   string
	PropertyID, PropertyName, PropertyAddress   string
	UnitID, UnitName, UnitSize                  string
	MoveInDate, MoveIn                          string
	Quote                                       json.RawMessage
	Missing                                     []string
}

func viewOf(b *Booking) previewView {
	t := b.Tenant
	v := previewView{ID: b.ID, Status: b.Status,
		FirstName: t.FirstName.Reveal(), LastName: t.LastName.Reveal(), Email: t.Email.Reveal(), Phone: t.Phone.Reveal(),
		TenantID: t.ID, Address: t.Address.Reveal(), City: t.City.Reveal(), PostalCode: t.PostalCode.Reveal(),
		PropertyID: b.Property.ID, PropertyName: b.Property.Name, PropertyAddress: b.Property.Address,
		UnitID: b.Unit.ID, UnitName: b.Unit.Name, UnitSize: b.Unit.Size,
		MoveInDate: b.MoveInDate, Quote: b.Quote, Missing: b.Missing()}
	if m, ok := b.MoveIn(); ok {
		v.MoveIn = m.Format(time.RFC3339)
	}
	return v
}

// TestPreviewGolden decodes each testdata/preview/*.json and compares the
// result with its .golden file: StoRegister's vocabulary, the generic one,
// a preview with no tenant at all, PascalCase and flat fields, and values of
// the wrong type.
func TestPreviewGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/preview/*.json")
	if err != nil || len(files) < 5 {
		t.Fatalf("want at least 5 previews, got %v %v", files, err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var b Booking
			if err := json.Unmarshal(in, &b); err != nil {
				t.Fatalf("decode: %v", err)
			}
			got, err := json.MarshalIndent(viewOf(&b), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(f, ".json") + ".golden"
			if *updateGolden {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decoded %s:\n%s\nwant:\n%s", f, got, want)
			}
		})
	}
}

// TestPreviewVocabularies checks the key facts of the golden files
// independently of them, so a careless -update cannot bless a regression.
func TestPreviewVocabularies(t *testing.T) {
	read := func(name string) *Booking {
		t.Helper()
		in, err := os.ReadFile("testdata/preview/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var b Booking
		if err := json.Unmarshal(in, &b); err != nil {
			t.Fatal(err)
		}
		return &b
	}
	sr := read("storegister_vocabulary")
	if sr.Tenant.FirstName != "Anna Maria" || sr.Tenant.Email != "anna.eriksson@example.com" ||
		sr.Tenant.Phone != "+46 70 123 45 67" || sr.Unit.Name != "A-112" || sr.Unit.Size != "5.5" ||
		sr.Property.Name != "Signet Self Storage Harbourside" || len(sr.Missing()) != 0 {
		t.Errorf("StoRegister vocabulary: %+v missing %v", viewOf(sr), sr.Missing())
	}
	if m, ok := sr.MoveIn(); !ok || m.Year() != 2026 || m.Month() != 12 || m.Day() != 1 {
		t.Errorf("move-in %v %v", m, ok)
	}
	gen := read("generic")
	if gen.Tenant.LastName != "de Vries" || gen.Unit.Size != "10 m²" || gen.Property.Name != "Depot" || len(gen.Missing()) != 0 {
		t.Errorf("generic vocabulary: %+v", viewOf(gen))
	}
	none := read("no_tenant")
	if got := strings.Join(none.Missing(), ","); got != "tenant" {
		t.Errorf("no tenant: missing %q, want tenant", got)
	}
	if m, ok := none.MoveIn(); !ok || m.Day() != 1 || none.Unit.Name != "C-018" || none.Unit.Size != "2" {
		t.Errorf("no tenant: move-in %v %v, unit %+v", m, ok, none.Unit)
	}
	odd := read("odd_types")
	if got := strings.Join(odd.Missing(), ","); got != "tenant.lastName,tenant.email,unit.name,unit.size,moveInDate" {
		t.Errorf("odd types: missing %q", got)
	}
	if odd.Tenant.Phone != "+1" || odd.Tenant.FirstName != "42" || odd.Property.Name != "Harbourside" {
		t.Errorf("odd types: %+v", viewOf(odd))
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026-12-01", "2026-12-01"},
		{"2026-12-01T00:00:00Z", "2026-12-01"},
		{" 2026-12-01T23:30:00-05:00 ", "2026-12-01"}, // the date written, not converted
		{"2026-12-01T00:00:00.1234567", "2026-12-01"},
		{"2026-12-01T00:30:00+02:00", "2026-12-01"},
		{"2026-12-01 08:00:00", "2026-12-01"},
		{"", ""}, {"01/12/2026", ""}, {"2026-13-01", ""},
	} {
		got := ""
		if tm, ok := ParseDate(c.in); ok {
			got = tm.Format(dateOnly)
		}
		if got != c.want {
			t.Errorf("ParseDate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

const dateOnly = "2006-01-02"

// TestBookingStoRegisterVocabulary fetches a preview in StoRegister's own
// vocabulary: the id is the one asked for, and the missing fields are
// logged once per client, by name, never with a value.
func TestBookingStoRegisterVocabulary(t *testing.T) {
	var logs bytes.Buffer
	c, mux, _ := setup(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	data := `{"bookingInfoId":"not-the-activity","contactBookInfo":{"firstName":"Anna","emailId":"anna@example.com"},
		"storageInfo":{"name":"A-1","size":5},"moveInDate":"2026-12-01T00:00:00Z"}`
	mux.HandleFunc("/v1/booking/"+bookingID+"/activity-quotation/preview", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, ok(data))
	})
	for i := 0; i < 3; i++ {
		b, err := c.Booking(context.Background(), bookingID)
		if err != nil {
			t.Fatal(err)
		}
		if b.ID != bookingID || b.Tenant.Email != "anna@example.com" || b.Unit.Size != "5" {
			t.Fatalf("booking %+v", viewOf(b))
		}
	}
	out := logs.String()
	if n := strings.Count(out, "lacks expected fields"); n != 1 {
		t.Errorf("missing fields logged %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "missing=tenant.lastName,tenant.phone,property.name") {
		t.Errorf("log does not name the missing fields:\n%s", out)
	}
	for _, v := range []string{"Anna", "anna@example.com", "A-1"} {
		if strings.Contains(out, v) {
			t.Errorf("log holds the value %q:\n%s", v, out)
		}
	}
}

// TestBookingNotAnObject: data that is not an object is a malformed
// response, not a panic and not an empty booking.
func TestBookingNotAnObject(t *testing.T) {
	c, mux, _ := setup(t)
	bodies := []string{`[]`, `"x"`, `42`, `null`, `true`}
	i := 0
	mux.HandleFunc("/v1/booking/"+bookingID+"/activity-quotation/preview", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, ok(bodies[i]))
	})
	for i = range bodies {
		if _, err := c.Booking(context.Background(), bookingID); err == nil || !strings.Contains(err.Error(), "not a booking") {
			t.Errorf("data %s: err %v", bodies[i], err)
		}
	}
}
