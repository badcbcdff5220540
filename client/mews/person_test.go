package mews

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// personServer answers customers/getAll and customers/search from fixed
// lists and records what was asked.
type personServer struct {
	mu        sync.Mutex
	lastNames [][]string
	searches  []string
}

func (p *personServer) mount(t *testing.T, mux *http.ServeMux, getAll, search string, status int) {
	mux.HandleFunc("/api/connector/v1/customers/getAll", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ LastNames, FirstNames, Emails []string }
		json.NewDecoder(r.Body).Decode(&req)
		p.mu.Lock()
		p.lastNames = append(p.lastNames, req.LastNames)
		p.mu.Unlock()
		if len(req.FirstNames)+len(req.Emails) > 0 {
			t.Errorf("getAll filtered by more than last names: %+v", req)
		}
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"Message":"boom"}`)
			return
		}
		fmt.Fprintf(w, `{"Customers":[%s],"Cursor":null}`, getAll)
	})
	mux.HandleFunc("/api/connector/v1/customers/search", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Name string }
		json.NewDecoder(r.Body).Decode(&req)
		p.mu.Lock()
		p.searches = append(p.searches, req.Name)
		p.mu.Unlock()
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"Message":"boom"}`)
			return
		}
		fmt.Fprintf(w, `{"Customers":[%s]}`, search)
	})
}

func cust(id, first, last, birth string) string {
	return fmt.Sprintf(`{"Id":%q,"FirstName":%q,"LastName":%q,"BirthDate":%q,"Email":"x@example.com"}`, id, first, last, birth)
}

func mustDate(t *testing.T, s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFindPerson(t *testing.T) {
	mrzLukas := PersonName{"LUKAS", "MUELLER"}
	bookingLukas := PersonName{"Lukas", "Müller"}
	for _, c := range []struct {
		name           string
		q              []PersonName
		birth          string
		getAll, search string
		wantID         string
		wantExact      int
		wantSearch     bool
	}{
		{"mrz transliteration and booking spelling", []PersonName{mrzLukas, bookingLukas}, "1979-05-17",
			strings.Join([]string{cust("a", "Lukas", "Müller", "1979-05-17T00:00:00Z"), cust("b", "Lukas", "Müller", "1980-01-01"),
				cust("c", "Lukas Peter", "Müller", "1979-05-17")}, ","), "", "a", 1, false},
		{"mrz alone, umlaut as ue", []PersonName{mrzLukas}, "1979-05-17",
			cust("a", "Lukas", "Müller", "1979-05-17"), "", "a", 1, false},
		{"accents, hyphen and case", []PersonName{{"SOFIA", "GARCIA LOPEZ"}}, "1991-12-30",
			cust("s", "Sofía", "García-López", "1991-12-30"), "", "s", 1, false},
		{"two customers match: none chosen", []PersonName{mrzLukas}, "1979-05-17",
			cust("a", "Lukas", "Müller", "1979-05-17") + "," + cust("d", "LUKAS", "MUELLER", "1979-05-17"), "", "", 2, false},
		{"birth date differs: none chosen", []PersonName{bookingLukas}, "1979-05-18",
			cust("a", "Lukas", "Müller", "1979-05-17"), "", "", 0, true},
		{"name differs: none chosen", []PersonName{{"LUKA", "MUELLER"}}, "1979-05-17",
			cust("a", "Lukas", "Müller", "1979-05-17"), "", "", 0, true},
		{"found only by search", []PersonName{{"ANNA MARIA", "ERIKSSON"}}, "1974-08-12",
			"", `{"Customer":` + cust("e", "Anna Maria", "Eriksson", "1974-08-12") + `,"Reservation":null}`, "e", 1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, mux, _ := setup(t)
			ps := &personServer{}
			ps.mount(t, mux, c.getAll, c.search, 0)
			got, ok, m, err := cl.Customers.FindPerson(context.Background(), PersonQuery{Names: c.q, BirthDate: mustDate(t, c.birth)})
			if err != nil {
				t.Fatal(err)
			}
			if ok != (c.wantID != "") || got.ID != c.wantID || m.Exact != c.wantExact {
				t.Errorf("FindPerson = %q %v, %d exact; want %q, %d", got.ID, ok, m.Exact, c.wantID, c.wantExact)
			}
			if (len(ps.searches) > 0) != c.wantSearch {
				t.Errorf("searches %d, want search %v", len(ps.searches), c.wantSearch)
			}
			if len(ps.lastNames) != 1 || !slices.Contains(ps.lastNames[0], c.q[0].LastName) {
				t.Errorf("getAll last names %q", ps.lastNames)
			}
			s := m.String()
			if !strings.Contains(s, "customers/getAll by last name:") || !strings.Contains(s, fmt.Sprintf("%d exact", c.wantExact)) {
				t.Errorf("report %q", s)
			}
			for _, n := range c.q {
				for _, w := range strings.Fields(n.FirstName + " " + n.LastName) {
					if strings.Contains(strings.ToLower(s), strings.ToLower(w)) {
						t.Errorf("report %q names %q", s, w)
					}
				}
			}
		})
	}
}

func TestFindPersonSpellings(t *testing.T) {
	cl, mux, _ := setup(t)
	ps := &personServer{}
	ps.mount(t, mux, "", "", 0)
	_, ok, m, err := cl.Customers.FindPerson(context.Background(), PersonQuery{
		Names: []PersonName{{"SOFIA", "GARCIA LOPEZ"}, {"Sofía", "García López"}}, BirthDate: mustDate(t, "1991-12-30")})
	if err != nil || ok {
		t.Fatalf("ok %v err %v", ok, err)
	}
	want := []string{"GARCIA LOPEZ", "Garcia Lopez", "García López"}
	for _, w := range want {
		if !slices.Contains(ps.lastNames[0], w) {
			t.Errorf("getAll last names %q lack %q", ps.lastNames[0], w)
		}
	}
	if len(ps.searches) != 1 || len(m.Lookups) != 2 {
		t.Errorf("searches %d (the two names fold alike), lookups %+v", len(ps.searches), m.Lookups)
	}
}

func TestFindPersonErrors(t *testing.T) {
	cl, mux, _ := setup(t)
	ps := &personServer{}
	ps.mount(t, mux, "", "", http.StatusForbidden)
	_, ok, m, err := cl.Customers.FindPerson(context.Background(), PersonQuery{
		Names: []PersonName{{"A", "B"}}, BirthDate: mustDate(t, "1990-01-01")})
	var ae *APIError
	if ok || !errors.As(err, &ae) || ae.Status != http.StatusForbidden {
		t.Errorf("ok %v err %v", ok, err)
	}
	if s := m.String(); !strings.Contains(s, "getAll by last name: failed") || !strings.Contains(s, "search by name: failed") {
		t.Errorf("report %q", s)
	}
	for _, q := range []PersonQuery{{Names: []PersonName{{"A", "B"}}}, {BirthDate: mustDate(t, "1990-01-01")},
		{Names: []PersonName{{"A", " "}}, BirthDate: mustDate(t, "1990-01-01")}} {
		if _, _, _, err := cl.Customers.FindPerson(context.Background(), q); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%+v: err %v", q, err)
		}
	}
}

func TestFoldName(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Anna Maria Eriksson", "ANNA<MARIA  ERIKSSON"},
		{"Zoë O'Brien", "ZOE O BRIEN"},
		{"Øystein Ødegård", "OYSTEIN ODEGARD"},
		{"Straße", "STRASSE"},
	} {
		if foldName(c.a) != foldName(c.b) {
			t.Errorf("fold %q = %q, %q = %q", c.a, foldName(c.a), c.b, foldName(c.b))
		}
	}
	if !nameMatches("Jürgen", "Groß", []PersonName{{"JUERGEN", "GROSS"}}) || nameMatches("Jürgen", "Groß", []PersonName{{"JURGEN", "GROS"}}) {
		t.Error("ICAO transliteration not matched, or a different name matched")
	}
}
