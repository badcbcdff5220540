package mews

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CustomersService finds customers.
//
// Reference: https://docs.mews.com/connector-api/operations/customers
type CustomersService service

// Customer is a Mews customer, as far as Signet needs one. Names, e-mail and
// birth date are personal data: String and LogValue leave them out.
type Customer struct {
	ID              string `json:"Id"`
	ChainID         string `json:"ChainId,omitempty"`
	FirstName       string `json:"FirstName,omitempty"`
	LastName        string `json:"LastName"`
	Email           string `json:"Email,omitempty"`
	BirthDate       Date   `json:"BirthDate,omitzero"`
	NationalityCode string `json:"NationalityCode,omitempty"`
}

// String describes c without its personal data.
func (c Customer) String() string { return "mews.Customer{Id:" + c.ID + "}" }

// GoString is String.
func (c Customer) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without personal data.
func (c Customer) LogValue() slog.Value { return slog.GroupValue(slog.String("id", c.ID)) }

// CustomerFilter selects customers for Find; at least one list must be
// non-empty, each at most 1000 long.
type CustomerFilter struct {
	Emails      []string
	FirstNames  []string
	LastNames   []string
	CustomerIDs []string
}

type customerExtent struct {
	Customers bool
}

type getAllCustomersRequest struct {
	envelope
	ChainIds    []string `json:",omitempty"`
	Extent      customerExtent
	Emails      []string `json:",omitempty"`
	FirstNames  []string `json:",omitempty"`
	LastNames   []string `json:",omitempty"`
	CustomerIds []string `json:",omitempty"`
	Limitation  Limitation
}

type customersPage struct {
	Customers []Customer
	Cursor    *string
}

// Find returns every customer that matches the filter (customers/getAll,
// all pages).
//
// Reference: https://docs.mews.com/connector-api/operations/customers#get-all-customers
func (s *CustomersService) Find(ctx context.Context, f CustomerFilter) ([]Customer, error) {
	const op = "customers/getAll"
	c := s.client
	if len(f.Emails)+len(f.FirstNames)+len(f.LastNames)+len(f.CustomerIDs) == 0 {
		return nil, fmt.Errorf("%w: find customers needs an e-mail, a name or an id", ErrInvalidInput)
	}
	for _, l := range [][]string{f.Emails, f.FirstNames, f.LastNames, f.CustomerIDs} {
		if len(l) > MaxCustomerIDs {
			return nil, fmt.Errorf("%w: %d values in one filter, at most %d", ErrInvalidInput, len(l), MaxCustomerIDs)
		}
	}
	req := getAllCustomersRequest{
		envelope: c.envelope(), Extent: customerExtent{Customers: true},
		Emails: f.Emails, FirstNames: f.FirstNames, LastNames: f.LastNames, CustomerIds: f.CustomerIDs,
	}
	count := c.pageCount
	var out []Customer
	var cursor *string
	for {
		var page customersPage
		err := c.policy.Do(ctx, func(ctx context.Context) error {
			page = customersPage{}
			req.Limitation = Limitation{Count: count, Cursor: cursor}
			err := c.call(ctx, op, req, &page)
			if IsRequestTimeout(err) && count > 1 {
				count = (count + 1) / 2
			}
			return err
		})
		if err != nil {
			return out, err
		}
		out = append(out, page.Customers...)
		if len(page.Customers) < count || page.Cursor == nil || *page.Cursor == "" ||
			(cursor != nil && *cursor == *page.Cursor) {
			return out, nil
		}
		cursor = page.Cursor
	}
}

// SearchResult is one customer found by Search, with the reservation that
// makes them active now (raw JSON; null when none).
type SearchResult struct {
	Customer    Customer
	Reservation json.RawMessage `json:",omitempty"`
}

// Search finds customers active now (in house) whose name matches name
// (customers/search). The API does not page this operation.
//
// Reference: https://docs.mews.com/connector-api/operations/customers#search-customers
func (s *CustomersService) Search(ctx context.Context, name string) ([]SearchResult, error) {
	c := s.client
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, fmt.Errorf("%w: search needs a name", ErrInvalidInput)
	}
	req := struct {
		envelope
		Name string
	}{c.envelope(), name}
	var res struct{ Customers []SearchResult }
	if err := c.do(ctx, "customers/search", req, &res); err != nil {
		return nil, err
	}
	for i := range res.Customers {
		if string(res.Customers[i].Reservation) == "null" {
			res.Customers[i].Reservation = nil
		}
	}
	return res.Customers, nil
}

// ConfigurationService reads the enterprise configuration.
//
// Reference: https://docs.mews.com/connector-api/operations/configuration
type ConfigurationService service

// Configuration is the part of configuration/get that Signet uses.
type Configuration struct {
	// IsIdentityDocumentNumberRequired says whether documents must carry a number.
	IsIdentityDocumentNumberRequired bool
	Enterprise                       Enterprise
}

// Enterprise is the property the access token belongs to.
type Enterprise struct {
	ID                 string `json:"Id"`
	ChainID            string `json:"ChainId,omitempty"`
	Name               string `json:"Name,omitempty"`
	TimeZoneIdentifier string `json:"TimeZoneIdentifier,omitempty"`
}

// Get returns the configuration, read once per client and cached; a failed
// read is not cached.
//
// Reference: https://docs.mews.com/connector-api/operations/configuration#get-configuration
func (s *ConfigurationService) Get(ctx context.Context) (*Configuration, error) {
	c := s.client
	c.cfgMu.Lock()
	defer c.cfgMu.Unlock()
	if c.cfg != nil {
		cp := *c.cfg
		return &cp, nil
	}
	var cfg Configuration
	if err := c.do(ctx, "configuration/get", struct{ envelope }{c.envelope()}, &cfg); err != nil {
		return nil, err
	}
	c.cfg = &cfg
	cp := cfg
	return &cp, nil
}

// PersonName is a name a customer may be filed under.
type PersonName struct {
	FirstName, LastName string
}

// PersonQuery identifies a guest by name and birth date, for FindPerson.
// Names holds every spelling known, such as the identity document's
// machine-readable zone ("ANNA MARIA", "ERIKSSON") and the booking's
// ("Anna Maria", "Eriksson"). It is personal data: it is never logged.
type PersonQuery struct {
	Names     []PersonName
	BirthDate Date
}

// Lookup is one customer lookup FindPerson made, without personal data.
type Lookup struct {
	// Op says what was asked: "customers/getAll by last name" or
	// "customers/search by name".
	Op string
	// Candidates is how many customers it returned; Err is set when it failed.
	Candidates int
	Err        error
}

// PersonMatch is what FindPerson tried and found. Its String is free of
// personal data, for the log.
type PersonMatch struct {
	Lookups []Lookup
	// Exact counts the distinct customers whose name and birth date both
	// match; FindPerson chooses only when it is 1.
	Exact int
}

func (m PersonMatch) String() string {
	if len(m.Lookups) == 0 {
		return "no lookup made"
	}
	var b strings.Builder
	for _, l := range m.Lookups {
		if l.Err != nil {
			fmt.Fprintf(&b, "%s: failed; ", l.Op)
			continue
		}
		fmt.Fprintf(&b, "%s: %d candidates; ", l.Op, l.Candidates)
	}
	fmt.Fprintf(&b, "%d exact matches", m.Exact)
	return b.String()
}

// FindPerson looks for the one customer named as in q and born on
// q.BirthDate: first customers/getAll by last name (every spelling in q),
// then, when that finds no exact match, customers/search by full name (which
// sees only customers active now). A customer matches exactly when its name
// equals one of q.Names once case, accents and punctuation are folded (ü
// also as "ue", as machine-readable zones write it) and its birth date equals
// q.BirthDate. Only a single exact match is returned; none or several give
// ok false, and the PersonMatch says what was tried. An error is returned
// when a lookup failed and no match was found.
func (s *CustomersService) FindPerson(ctx context.Context, q PersonQuery) (c Customer, ok bool, m PersonMatch, err error) {
	var names []PersonName
	for _, n := range q.Names {
		n.FirstName, n.LastName = strings.TrimSpace(n.FirstName), strings.TrimSpace(n.LastName)
		if n.LastName != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 || q.BirthDate.IsZero() {
		return Customer{}, false, m, fmt.Errorf("%w: finding a person needs a last name and a birth date", ErrInvalidInput)
	}
	exact := map[string]Customer{}
	consider := func(cs []Customer) {
		for _, c := range cs {
			if c.ID != "" && c.BirthDate == q.BirthDate && nameMatches(c.FirstName, c.LastName, names) {
				exact[c.ID] = c
			}
		}
	}

	var lastNames []string
	seen := map[string]bool{}
	for _, n := range names {
		for _, v := range spellings(n.LastName) {
			if !seen[v] && len(lastNames) < MaxCustomerIDs {
				seen[v] = true
				lastNames = append(lastNames, v)
			}
		}
	}
	cs, ferr := s.Find(ctx, CustomerFilter{LastNames: lastNames})
	m.Lookups = append(m.Lookups, Lookup{Op: "customers/getAll by last name", Candidates: len(cs), Err: ferr})
	consider(cs)

	if len(exact) == 0 {
		tried := map[string]bool{}
		for _, n := range names {
			full := strings.TrimSpace(n.FirstName + " " + n.LastName)
			key := foldName(full)
			if tried[key] {
				continue
			}
			tried[key] = true
			rs, serr := s.Search(ctx, full)
			m.Lookups = append(m.Lookups, Lookup{Op: "customers/search by name", Candidates: len(rs), Err: serr})
			for _, r := range rs {
				consider([]Customer{r.Customer})
			}
			if serr != nil && ferr == nil {
				ferr = serr
			}
		}
	}
	m.Exact = len(exact)
	if len(exact) == 1 {
		for _, c := range exact {
			return c, true, m, nil
		}
	}
	if len(exact) == 0 && ferr != nil {
		return Customer{}, false, m, ferr
	}
	return Customer{}, false, m, nil
}

// nameMatches reports whether first+last equals one of names, folded.
func nameMatches(first, last string, names []PersonName) bool {
	have := foldForms(first + " " + last)
	for _, n := range names {
		for _, w := range foldForms(n.FirstName + " " + n.LastName) {
			for _, h := range have {
				if h == w && h != "" {
					return true
				}
			}
		}
	}
	return false
}

// spellings are the forms of a name sent as a filter: as given, in title
// case, and without accents (Mews may compare filters exactly).
func spellings(s string) []string {
	out := []string{s}
	add := func(v string) {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	title := func(v string) string {
		words := strings.Fields(strings.ToLower(v))
		for i, w := range words {
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			words[i] = string(r)
		}
		return strings.Join(words, " ")
	}
	add(title(s))
	add(stripMarks(s))
	add(title(stripMarks(s)))
	return out
}

// icaoLetters are the transliterations ICAO 9303 allows besides dropping the
// accent (MÜLLER may be MUELLER).
var icaoLetters = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "å", "aa", "æ", "ae", "ø", "oe", "ß", "ss",
	"þ", "th", "ĳ", "ij", "œ", "oe")

// foldForms are the folded forms of a full name: accents dropped, and
// ICAO's two-letter transliterations.
func foldForms(s string) []string {
	lower := strings.ToLower(s)
	a, b := foldName(lower), foldName(icaoLetters.Replace(lower))
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

// foldName lower-cases s, drops accents, turns every run of other
// characters than letters and digits ('<', '-', '.', apostrophes, spaces)
// into one space, and trims it.
func foldName(s string) string {
	s = strings.ToLower(stripMarks(strings.ToLower(s)))
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// stripMarks drops combining marks after canonical decomposition (é → e)
// and maps the few letters that do not decompose (ø, ß, æ, ł, đ …).
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if v, ok := plainLetters[r]; ok {
			b.WriteString(v)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var plainLetters = map[rune]string{
	'ø': "o", 'Ø': "O", 'ß': "ss", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ł': "l", 'Ł': "L",
	'đ': "d", 'Đ': "D", 'þ': "th", 'Þ': "TH", 'ı': "i",
}
