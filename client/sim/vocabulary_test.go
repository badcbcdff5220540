package sim

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/demodata"
)

func rawPreview(t *testing.T, s *Server, id string) string {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+StoRegisterPrefix+"/v1/booking/"+id+"/activity-quotation/preview", nil)
	req.Header.Set("X-API-Key", demodata.StoRegisterAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestVocabularies: by default the preview speaks StoRegister's own names
// (a numeric size, an RFC 3339 move-in); WithVocabulary(VocabularyGeneric)
// brings back tenant/property/unit. The client reads both the same way.
func TestVocabularies(t *testing.T) {
	anna := demodata.People[0]
	for _, c := range []struct {
		opts      []Option
		want, not []string
	}{
		{nil, []string{`"contactBookInfo":{`, `"emailId":"` + anna.Email, `"phoneNumber":`, `"propertyInfo":{`,
			`"storageInfo":{`, `"size":5`, `"moveInDate":"2026-11-24T00:00:00Z"`}, []string{`"tenant"`, `"unit"`}},
		{[]Option{WithVocabulary(VocabularyGeneric)}, []string{`"tenant":{`, `"email":"` + anna.Email, `"unit":{`,
			`"size":"5 m²"`, `"moveInDate":"2026-11-24"`}, []string{`contactBookInfo`, `storageInfo`}},
	} {
		s, client := newSim(t, c.opts...)
		raw := rawPreview(t, s, anna.BookingID)
		for _, w := range c.want {
			if !strings.Contains(raw, w) {
				t.Errorf("%v: preview lacks %s:\n%s", c.opts, w, raw)
			}
		}
		for _, n := range c.not {
			if strings.Contains(raw, n) {
				t.Errorf("%v: preview holds %s:\n%s", c.opts, n, raw)
			}
		}
		b, err := client.Booking(context.Background(), anna.BookingID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Tenant.LastName.Reveal() != anna.LastName || b.Tenant.Email.Reveal() != anna.Email || b.Unit.Name != "A-112" ||
			b.MoveInDate != anna.MoveIn || b.Property.Name != Property.Name || len(b.Missing()) != 0 {
			t.Errorf("%v: decoded %+v, missing %v", c.opts, b, b.Missing())
		}
	}
}

// TestSetBookingWithoutEmail: a tenant without an e-mail is sent without
// emailId, and SetVocabulary switches at run time.
func TestSetBookingWithoutEmail(t *testing.T) {
	s, client := newSim(t)
	p := demodata.People[1]
	p.Email = ""
	s.SetBooking(p)
	raw := rawPreview(t, s, p.BookingID)
	if strings.Contains(raw, "emailId") || !strings.Contains(raw, `"lastName":"de Vries"`) {
		t.Errorf("preview:\n%s", raw)
	}
	b, err := client.Booking(context.Background(), p.BookingID)
	if err != nil || b.Tenant.Email != "" || strings.Join(b.Missing(), ",") != "tenant.email" {
		t.Fatalf("booking %+v %v, missing %v", b, err, b.Missing())
	}
	s.SetVocabulary(VocabularyGeneric)
	if raw := rawPreview(t, s, p.BookingID); !strings.Contains(raw, `"tenant":{`) {
		t.Errorf("after SetVocabulary: %s", raw)
	}
	if _, err := ParseVocabulary("nope"); err == nil {
		t.Error("ParseVocabulary accepted nope")
	}
	if v, err := ParseVocabulary(""); err != nil || v != VocabularyStoRegister {
		t.Errorf("ParseVocabulary(\"\") = %v, %v", v, err)
	}
}
