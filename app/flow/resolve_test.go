package flow

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// personMews is a Mews that finds customers by name and birth date.
type personMews struct {
	fakeMews
	id, tried string
	err       error
	asked     []Person
	recordFor []string
}

func (m *personMews) FindCustomerByPerson(_ context.Context, p Person) (string, string, error) {
	m.asked = append(m.asked, p)
	return m.id, m.tried, m.err
}

func (m *personMews) Record(ctx context.Context, id string, d Details) (string, bool, error) {
	m.recordFor = append(m.recordFor, id)
	return m.fakeMews.Record(ctx, id, d)
}

var anna = Holder{Surname: "ERIKSSON", GivenNames: "ANNA MARIA", BirthDate: "1974-08-12"}

// walkNoCustomer walks to submit with no Mews customer found by e-mail and
// the holder read from the document.
func walkNoCustomer(t *testing.T, h Holder) *Submission {
	t.Helper()
	s, _ := walk(t)
	s.step = StepDetails
	must(t, s.SetDetails(Details{Type: "IdentityCard", Number: "D23145890", Holder: h}, ""))
	must(t, s.SetAgreement(agreementSHA))
	must(t, s.SetSignature([]byte("\x89PNG signature")))
	sub, err := s.Submission()
	must(t, err)
	return sub
}

func TestSubmitFindsCustomerByNameAndBirthDate(t *testing.T) {
	sub := walkNoCustomer(t, anna)
	m := &personMews{id: "cust-anna", tried: "customers/getAll by last name: 3 candidates; 1 exact matches"}
	q := &fakeQueue{}
	res, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{}, Mews: m, Queue: q}, nil)
	must(t, err)
	if len(m.recordFor) != 1 || m.recordFor[0] != "cust-anna" || res.MewsID != "doc-1" || res.MewsNeedsStaff || len(q.got) != 0 {
		t.Fatalf("recorded for %v, result %+v, queued %v", m.recordFor, res, q.got)
	}
	if len(m.asked) != 1 || m.asked[0].BirthDate != "1974-08-12" || len(m.asked[0].Names) == 0 ||
		m.asked[0].Names[0] != (Name{First: "ANNA MARIA", Last: "ERIKSSON"}) {
		t.Errorf("asked %+v", m.asked)
	}
	if !strings.Contains(res.MewsLookup, "3 candidates") || !strings.Contains(res.MewsLookup, "chosen by name and birth date") {
		t.Errorf("lookup summary %q", res.MewsLookup)
	}
}

func TestSubmitQueuesForStaffWhenNoCustomer(t *testing.T) {
	for _, c := range []struct {
		name   string
		holder Holder
		m      *personMews
		want   string
	}{
		{"no exact match", anna, &personMews{tried: "customers/getAll by last name: 2 candidates; customers/search by name: 0 candidates; 0 exact matches"},
			"no single exact match"},
		{"lookup failed", anna, &personMews{err: errors.New("connection refused")}, "lookup failed"},
		{"no zone read", Holder{}, &personMews{id: "never"}, "no name and birth date read from the document"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sub := walkNoCustomer(t, c.holder)
			q := &fakeQueue{}
			res, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{}, Mews: c.m, Queue: q}, nil)
			must(t, err)
			if len(c.m.recordFor) != 0 || !res.MewsNeedsStaff || len(q.got) != 1 || q.got[0].Part != PartMewsStaff {
				t.Fatalf("recorded for %v, result %+v, queued %+v", c.m.recordFor, res, q.got)
			}
			p := q.got[0]
			if p.BookingID == "" || p.Details.Number != "D23145890" || p.Details.Holder != c.holder || p.Tried != res.MewsLookup {
				t.Errorf("staff item %+v", p)
			}
			if !strings.Contains(res.MewsLookup, c.want) || !strings.Contains(res.MewsLookup, "e-mail") {
				t.Errorf("lookup summary %q lacks %q", res.MewsLookup, c.want)
			}
			if strings.Contains(res.MewsLookup, "ERIKSSON") || strings.Contains(res.MewsLookup, "1974") {
				t.Errorf("summary holds personal data: %q", res.MewsLookup)
			}
			if (c.holder == Holder{}) && len(c.m.asked) != 0 {
				t.Error("looked up without a birth date")
			}
		})
	}
}

// TestSubmitStaffItemSurvivesStoRegisterFailure: when StoRegister fails
// transiently, the record for staff is queued with the rest.
func TestSubmitStaffItemSurvivesStoRegisterFailure(t *testing.T) {
	sub := walkNoCustomer(t, anna)
	q := &fakeQueue{}
	res, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{fail: errors.New("connection reset")},
		Mews: &personMews{tried: "x: 0 candidates"}, Queue: q}, nil)
	must(t, err)
	var parts []Part
	for _, p := range q.got {
		parts = append(parts, p.Part)
	}
	if len(parts) != 4 || parts[3] != PartMewsStaff || !res.MewsNeedsStaff {
		t.Errorf("queued %v, result %+v", parts, res)
	}
}

// TestSubmitEmailCustomerNeedsNoLookup: a customer found by e-mail is used
// as is, without a lookup by name.
func TestSubmitEmailCustomerNeedsNoLookup(t *testing.T) {
	s, _ := walk(t)
	sub, err := s.Submission()
	must(t, err)
	m := &personMews{id: "other"}
	res, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{}, Mews: m}, nil)
	must(t, err)
	if len(m.asked) != 0 || len(m.recordFor) != 1 || m.recordFor[0] != "cust-1" || res.MewsLookup != "" {
		t.Errorf("asked %v, recorded for %v, lookup %q", m.asked, m.recordFor, res.MewsLookup)
	}
}

// TestSubmitAfterEmailLookupFailed: when the lookup by e-mail failed (Mews
// unreachable at the details step), the record does not vanish: the
// submission tries name and birth date, and says the e-mail lookup failed.
func TestSubmitAfterEmailLookupFailed(t *testing.T) {
	s, _ := walk(t)
	s.step = StepDetails
	s.EmailLookupFailed = true
	must(t, s.SetDetails(Details{Type: "IdentityCard", Number: "D23145890", Holder: anna}, ""))
	must(t, s.SetAgreement(agreementSHA))
	must(t, s.SetSignature([]byte("\x89PNG signature")))
	sub, err := s.Submission()
	must(t, err)
	m := &personMews{id: "cust-anna", tried: "customers/getAll by last name: 1 candidates; 1 exact matches"}
	res, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{}, Mews: m, Queue: &fakeQueue{}}, nil)
	must(t, err)
	if len(m.recordFor) != 1 || m.recordFor[0] != "cust-anna" {
		t.Fatalf("recorded for %v, result %+v", m.recordFor, res)
	}
	if !strings.Contains(res.MewsLookup, "by e-mail failed") {
		t.Errorf("lookup summary %q does not say the e-mail lookup failed", res.MewsLookup)
	}
}
