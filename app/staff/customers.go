package staff

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/signet-kiosk/signet/client/mews"
)

// ShowCustomers goes back to the customer search.
func (s *Session) ShowCustomers() {
	s.StopHealth()
	s.Customer, s.Docs, s.Form, s.Problem, s.Notice = nil, nil, nil, Note{}, Note{}
}

// Search finds customers by Query: in house by name (customers/search), or
// by e-mail or last name (customers/getAll).
func (s *Session) Search(byEmail bool) {
	q := strings.TrimSpace(s.Query)
	if q == "" {
		s.Problem = note("staff.customers.empty")
		return
	}
	mc, log := s.o.Mews, s.o.Log
	s.run(func(ctx context.Context) func() {
		found, err := FindCustomers(ctx, mc, q, byEmail)
		return func() {
			s.Searched = true
			if err != nil {
				log.Warn("staff customer search failed", "err", err)
				s.Problem = NoteFor(err)
				s.Customers = nil
				return
			}
			s.Customers = found
			log.Info("staff customer search", "in_house", !byEmail, "found", len(found))
		}
	})
}

// FindCustomers asks Mews for the customers q names, sorted by last name:
// in house by name (accents may be left out), or by e-mail (q holds an @)
// or last name (exactly, as Mews compares it). The
// on-screen keyboard types capitals, so a last name is tried as typed and
// as names are usually written.
func FindCustomers(ctx context.Context, mc *mews.Client, q string, byEmail bool) ([]mews.Customer, error) {
	var found []mews.Customer
	if byEmail {
		f := mews.CustomerFilter{LastNames: []string{q}}
		if strings.Contains(q, "@") {
			f = mews.CustomerFilter{Emails: []string{strings.ToLower(q)}}
		} else if len(q) > 1 {
			f.LastNames = append(f.LastNames, titleCase(q))
		}
		var err error
		if found, err = mc.Customers.Find(ctx, f); err != nil {
			return nil, err
		}
	} else {
		rs, err := mc.Customers.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		// Nothing for a name typed without its accents ("muller" for
		// "Müller"): the in-house list is short, so ask for every name
		// holding what q surely shares with it and compare without
		// accents here.
		if key := marklessKey(q); len(rs) == 0 && Fold(q) == strings.ToLower(q) && key != "" && key != strings.ToLower(q) {
			more, err := mc.Customers.Search(ctx, key)
			if err != nil {
				return nil, err
			}
			for _, r := range more {
				if nameMatches(r.Customer.FirstName, r.Customer.LastName, q) {
					rs = append(rs, r)
				}
			}
		}
		for _, r := range rs {
			found = append(found, r.Customer)
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].LastName < found[j].LastName })
	return found, nil
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// MaskBirthDate shows the year only: enough to tell two namesakes apart.
func MaskBirthDate(d mews.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-••-••", d.Year)
}

// SameName compares a typed last name with the customer's, ignoring case,
// runs of spaces and accents (the on-screen keyboard may have none).
func SameName(typed, last string) bool {
	typed = strings.Join(strings.Fields(typed), " ")
	last = strings.Join(strings.Fields(last), " ")
	return last != "" && Fold(typed) == Fold(last)
}
