package sim

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/internal/demodata"
)

// Mews Connector API simulation: identity documents, customers and the
// configuration, with the documented limits, cursor paging from newest to
// oldest, token checks, and the 200-requests-per-30-seconds sliding window
// per access token.

// Limits and facts of the simulated Mews enterprise.
const (
	MewsRateLimit    = 200
	MewsRateWindow   = 30 * time.Second
	MewsEnterpriseID = "4d0201db-36f5-428b-8d11-4f0a65e960cc"
	MewsChainID      = "7f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	MewsTimeZone     = "Europe/Stockholm"
	mewsPrefix       = "/api/connector/v1/"
	mewsMaxBody      = 1 << 20
)

var MewsDocumentTypes = []string{"IdentityCard", "Passport", "Visa", "DriversLicense"}

// MewsDocument is an identity document the Mews simulation holds, in the
// API's field names.
type MewsDocument struct {
	ID                            string  `json:"Id"`
	CustomerID                    string  `json:"CustomerId"`
	Type                          string  `json:"Type"`
	Number                        string  `json:"Number"`
	ExpirationDate                *string `json:"ExpirationDate"`
	IssuanceDate                  *string `json:"IssuanceDate"`
	IssuingCountryCode            *string `json:"IssuingCountryCode"`
	IssuingCountrySubdivisionCode *string `json:"IssuingCountrySubdivisionCode"`
	IssuingCity                   *string `json:"IssuingCity"`
	IdentityDocumentSupportNumber *string `json:"IdentityDocumentSupportNumber"`
	IsVerified                    bool    `json:"IsVerified"`
	ChainID                       string  `json:"ChainId"`
}

type mewsCustomer struct {
	ID              string `json:"Id"`
	ChainID         string `json:"ChainId"`
	FirstName       string `json:"FirstName"`
	LastName        string `json:"LastName"`
	Email           string `json:"Email"`
	Phone           string `json:"Phone"`
	BirthDate       string `json:"BirthDate"`
	NationalityCode *string
	CreatedUtc      string `json:"CreatedUtc"`
}

// mewsSim is the state of the simulated Mews API.
type mewsSim struct {
	now func() time.Time

	mu          sync.Mutex
	clientToken string
	accessToken string
	numberReq   bool
	customers   []mewsCustomer
	docs        []*MewsDocument // oldest first
	rate        map[string][]time.Time
	limited     int // 429 answers given, for tests
	requests    int
}

func newMewsSim(now func() time.Time) *mewsSim {
	if now == nil {
		now = time.Now
	}
	m := &mewsSim{
		now:         now,
		clientToken: demodata.MewsClientToken,
		accessToken: demodata.MewsAccessToken,
		numberReq:   true,
		rate:        map[string][]time.Time{},
	}
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	for _, p := range demodata.People {
		m.customers = append(m.customers, mewsCustomer{
			ID: p.MewsCustomerID, ChainID: MewsChainID, FirstName: p.FirstName, LastName: p.LastName,
			Email: p.Email, Phone: p.Phone, BirthDate: p.BirthDate, CreatedUtc: created,
		})
	}
	return m
}

// mewsError is the API's error body.
type mewsError struct {
	Message   string
	RequestID string `json:"RequestId"`
}

type mewsStatus struct {
	code       int
	msg        string
	retryAfter int
}

func (e *mewsStatus) Error() string { return e.msg }

func mewsInvalid(param string) *mewsStatus {
	return &mewsStatus{code: http.StatusBadRequest, msg: "Invalid " + param}
}

func mewsRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func mewsGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ServeHTTP answers every /api/connector/v1/ request.
func (m *mewsSim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rid := mewsRequestID()
	w.Header().Set("Request-Id", rid)
	fail := func(e *mewsStatus) {
		if e.retryAfter > 0 {
			w.Header().Set("Retry-After", fmt.Sprint(e.retryAfter))
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(e.code)
		_ = json.NewEncoder(w).Encode(mewsError{Message: e.msg, RequestID: rid})
	}
	op := strings.TrimPrefix(r.URL.Path, mewsPrefix)
	handler, ok := m.ops()[op]
	if !ok || r.Method != http.MethodPost {
		fail(&mewsStatus{code: http.StatusNotFound, msg: "Not found"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, mewsMaxBody+1))
	if err != nil {
		fail(mewsInvalid("JSON"))
		return
	}
	if len(body) > mewsMaxBody {
		fail(&mewsStatus{code: http.StatusRequestEntityTooLarge, msg: "Request body too large"})
		return
	}
	var env struct {
		ClientToken, AccessToken, Client *string
		LanguageCode, CultureCode        *string
	}
	if err := json.Unmarshal(body, &env); err != nil {
		fail(mewsInvalid("JSON"))
		return
	}
	if env.AccessToken != nil && *env.AccessToken != "" {
		if e := m.admit(*env.AccessToken); e != nil {
			fail(e)
			return
		}
	}
	switch {
	case env.ClientToken == nil || *env.ClientToken == "":
		fail(mewsInvalid("ClientToken"))
		return
	case env.AccessToken == nil || *env.AccessToken == "":
		fail(mewsInvalid("AccessToken"))
		return
	case env.Client == nil || *env.Client == "":
		fail(mewsInvalid("Client"))
		return
	case (env.LanguageCode == nil) != (env.CultureCode == nil):
		fail(mewsInvalid("LanguageCode"))
		return
	case *env.ClientToken != m.clientToken || *env.AccessToken != m.accessToken:
		fail(&mewsStatus{code: http.StatusUnauthorized, msg: "Invalid ClientToken or AccessToken."})
		return
	}
	out, e := handler(body)
	if e != nil {
		fail(e)
		return
	}
	if out == nil && strings.Contains(r.Header.Get("Prefer"), "return=minimal") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(out)
}

// admit applies the sliding window of MewsRateLimit requests per access token.
func (m *mewsSim) admit(token string) *mewsStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests++
	now := m.now()
	ts := m.rate[token]
	cut := 0
	for cut < len(ts) && !ts[cut].Add(MewsRateWindow).After(now) {
		cut++
	}
	ts = ts[cut:]
	if len(ts) >= MewsRateLimit {
		m.rate[token] = ts
		m.limited++
		wait := ts[0].Add(MewsRateWindow).Sub(now)
		return &mewsStatus{code: http.StatusTooManyRequests, msg: "Too many requests.",
			retryAfter: max(1, int(math.Ceil(wait.Seconds())))}
	}
	m.rate[token] = append(ts, now)
	return nil
}

func (m *mewsSim) ops() map[string]func([]byte) (any, *mewsStatus) {
	return map[string]func([]byte) (any, *mewsStatus){
		"identityDocuments/getAll": mewsOp(m, m.getAllDocuments),
		"identityDocuments/add":    mewsOp(m, m.addDocuments),
		"identityDocuments/update": mewsOp(m, m.updateDocuments),
		"identityDocuments/delete": mewsOp(m, m.deleteDocuments),
		"identityDocuments/clear":  mewsOp(m, m.clearDocuments),
		"customers/getAll":         mewsOp(m, m.getAllCustomers),
		"customers/search":         mewsOp(m, m.searchCustomers),
		"configuration/get":        mewsOp(m, m.configuration),
	}
}

// mewsOp makes an operation of run: the body is decoded into a new Req, and
// run checks and answers it under the simulator's lock.
func mewsOp[Req any](m *mewsSim, run func(*Req) (any, *mewsStatus)) func([]byte) (any, *mewsStatus) {
	return func(body []byte) (any, *mewsStatus) {
		var req Req
		if e := mewsDecode(body, &req); e != nil {
			return nil, e
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		return run(&req)
	}
}

// mewsCount checks that a list the operation works on holds 1 to max items.
func mewsCount(n, max int, param string) *mewsStatus {
	return mewsLists(mewsList{n, 1, max, param})
}

// mewsList is the length of a request's list and the bounds the API puts on
// it.
type mewsList struct {
	n, min, max int
	param       string
}

// mewsLists checks lists in order and names the first out of its bounds.
func mewsLists(lists ...mewsList) *mewsStatus {
	for _, l := range lists {
		if l.n < l.min || l.n > l.max {
			return mewsInvalid(l.param)
		}
	}
	return nil
}

func mewsDecode(body []byte, v any) *mewsStatus {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return mewsInvalid(strings.SplitN(te.Field, ".", 2)[0])
		}
		return mewsInvalid("JSON")
	}
	return nil
}

type mewsLimitation struct {
	Count  *int
	Cursor *string
}

// mewsCheckLimitation validates a required Limitation.
func mewsCheckLimitation(l *mewsLimitation) *mewsStatus {
	if l == nil || l.Count == nil || *l.Count < 1 || *l.Count > 1000 {
		return mewsInvalid("Limitation")
	}
	return nil
}

// page returns up to count items after the cursor in a newest-first list,
// and the cursor of the page (the id of its oldest item).
func mewsPage[T any](items []T, id func(T) string, l *mewsLimitation) ([]T, *string, *mewsStatus) {
	start := 0
	if l.Cursor != nil && *l.Cursor != "" {
		start = -1
		for i, it := range items {
			if id(it) == *l.Cursor {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, nil, mewsInvalid("Cursor")
		}
	}
	end := min(start+*l.Count, len(items))
	out := items[start:end]
	if len(out) == 0 {
		return []T{}, nil, nil
	}
	c := id(out[len(out)-1])
	return out, &c, nil
}

func (m *mewsSim) customer(id string) bool {
	return slices.ContainsFunc(m.customers, func(c mewsCustomer) bool { return c.ID == id })
}

type mewsGetAllDocuments struct {
	CustomerIds, IdentityDocumentIds, ChainIds []string
	Types                                      []string
	Limitation                                 *mewsLimitation
}

func (m *mewsSim) getAllDocuments(req *mewsGetAllDocuments) (any, *mewsStatus) {
	if e := mewsLists(mewsList{len(req.CustomerIds), 1, 100, "CustomerIds"},
		mewsList{len(req.IdentityDocumentIds), 0, 100, "IdentityDocumentIds"}, mewsList{len(req.ChainIds), 0, 1000, "ChainIds"}); e != nil {
		return nil, e
	}
	if e := mewsCheckLimitation(req.Limitation); e != nil {
		return nil, e
	}
	var match []MewsDocument
	for i := len(m.docs) - 1; i >= 0; i-- {
		d := m.docs[i]
		if !slices.Contains(req.CustomerIds, d.CustomerID) ||
			(len(req.IdentityDocumentIds) > 0 && !slices.Contains(req.IdentityDocumentIds, d.ID)) ||
			(len(req.Types) > 0 && !slices.Contains(req.Types, d.Type)) ||
			(len(req.ChainIds) > 0 && !slices.Contains(req.ChainIds, d.ChainID)) {
			continue
		}
		match = append(match, *d)
	}
	items, cursor, e := mewsPage(match, func(d MewsDocument) string { return d.ID }, req.Limitation)
	if e != nil {
		return nil, e
	}
	return map[string]any{"IdentityDocuments": items, "Cursor": cursor}, nil
}

// mewsNormDate checks an ISO 8601 date and writes it as the API does.
func mewsNormDate(s *string, param string) (*string, *mewsStatus) {
	if s == nil {
		return nil, nil
	}
	var t time.Time
	var err error
	if len(*s) > 10 {
		t, err = time.Parse(time.RFC3339, *s)
	} else {
		t, err = time.Parse(time.DateOnly, *s)
	}
	if err != nil {
		return nil, mewsInvalid(param)
	}
	v := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	return &v, nil
}

type mewsAddDocuments struct {
	ChainId           *string
	IdentityDocuments []struct {
		CustomerId, Type, Number                   *string
		ExpirationDate, IssuanceDate               *string
		IssuingCountryCode                         *string
		IssuingCountrySubdivisionCode              *string
		IssuingCity, IdentityDocumentSupportNumber *string
	}
}

func (m *mewsSim) addDocuments(req *mewsAddDocuments) (any, *mewsStatus) {
	if e := mewsCount(len(req.IdentityDocuments), 10, "IdentityDocuments"); e != nil {
		return nil, e
	}
	var created []*MewsDocument
	for _, in := range req.IdentityDocuments {
		switch {
		case in.CustomerId == nil || !m.customer(*in.CustomerId):
			return nil, mewsInvalid("CustomerId")
		case in.Type == nil || !slices.Contains(MewsDocumentTypes, *in.Type):
			return nil, mewsInvalid("Type")
		case in.Number == nil:
			return nil, mewsInvalid("Number")
		case *in.Number == "" && m.numberReq:
			return nil, &mewsStatus{code: http.StatusForbidden, msg: "The identity document number is required."}
		}
		d := &MewsDocument{ID: mewsGUID(), CustomerID: *in.CustomerId, Type: *in.Type, Number: *in.Number, ChainID: MewsChainID,
			IssuingCountryCode: in.IssuingCountryCode, IssuingCountrySubdivisionCode: in.IssuingCountrySubdivisionCode,
			IssuingCity: in.IssuingCity, IdentityDocumentSupportNumber: in.IdentityDocumentSupportNumber}
		var e *mewsStatus
		if d.ExpirationDate, e = mewsNormDate(in.ExpirationDate, "ExpirationDate"); e != nil {
			return nil, e
		}
		if d.IssuanceDate, e = mewsNormDate(in.IssuanceDate, "IssuanceDate"); e != nil {
			return nil, e
		}
		created = append(created, d)
	}
	m.docs = append(m.docs, created...)
	out := make([]MewsDocument, len(created))
	for i, d := range created {
		out[i] = *d
	}
	return map[string]any{"IdentityDocuments": out}, nil
}

// mewsUpdateValue is {"Value": x}; absent or null leaves the field unchanged,
// {"Value": null} clears it.
type mewsUpdateValue struct {
	set   bool
	value *string
}

func (u *mewsUpdateValue) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	var w struct{ Value *string }
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	u.set, u.value = true, w.Value
	return nil
}

type mewsUpdateDocuments struct {
	ChainId           *string
	IdentityDocuments []struct {
		Id                                         *string
		Type, Number, ExpirationDate, IssuanceDate mewsUpdateValue
		IssuingCountryCode                         mewsUpdateValue
		IssuingCountrySubdivisionCode              mewsUpdateValue
		IssuingCity, IdentityDocumentSupportNumber mewsUpdateValue
	}
}

func (m *mewsSim) updateDocuments(req *mewsUpdateDocuments) (any, *mewsStatus) {
	if e := mewsCount(len(req.IdentityDocuments), 10, "IdentityDocuments"); e != nil {
		return nil, e
	}
	// Validate everything first: a refused batch changes nothing.
	targets := make([]*MewsDocument, len(req.IdentityDocuments))
	for i, u := range req.IdentityDocuments {
		if u.Id == nil {
			return nil, mewsInvalid("Id")
		}
		for _, d := range m.docs {
			if d.ID == *u.Id {
				targets[i] = d
			}
		}
		if targets[i] == nil {
			return nil, mewsInvalid("Id")
		}
		if u.Type.set && (u.Type.value == nil || !slices.Contains(MewsDocumentTypes, *u.Type.value)) {
			return nil, mewsInvalid("Type")
		}
		if u.Number.set && u.Number.value == nil && m.numberReq {
			return nil, &mewsStatus{code: http.StatusForbidden, msg: "The identity document number is required."}
		}
		for _, dv := range []struct {
			v     mewsUpdateValue
			param string
		}{{u.ExpirationDate, "ExpirationDate"}, {u.IssuanceDate, "IssuanceDate"}} {
			if _, e := mewsNormDate(dv.v.value, dv.param); dv.v.set && e != nil {
				return nil, e
			}
		}
	}
	out := make([]MewsDocument, len(targets))
	for i, u := range req.IdentityDocuments {
		d := targets[i]
		if u.Type.set {
			d.Type = *u.Type.value
		}
		if u.Number.set {
			d.Number = ""
			if u.Number.value != nil {
				d.Number = *u.Number.value
			}
		}
		apply := func(dst **string, v mewsUpdateValue) {
			if v.set {
				*dst = v.value
			}
		}
		if u.ExpirationDate.set {
			d.ExpirationDate, _ = mewsNormDate(u.ExpirationDate.value, "")
		}
		if u.IssuanceDate.set {
			d.IssuanceDate, _ = mewsNormDate(u.IssuanceDate.value, "")
		}
		apply(&d.IssuingCountryCode, u.IssuingCountryCode)
		apply(&d.IssuingCountrySubdivisionCode, u.IssuingCountrySubdivisionCode)
		apply(&d.IssuingCity, u.IssuingCity)
		apply(&d.IdentityDocumentSupportNumber, u.IdentityDocumentSupportNumber)
		out[i] = *d
	}
	return map[string]any{"IdentityDocuments": out}, nil
}

// mewsRemoveDocuments is the body of delete (IdentityDocumentIds) and of
// clear (CustomerIds).
type mewsRemoveDocuments struct {
	ChainId                          *string
	IdentityDocumentIds, CustomerIds []string
}

func (m *mewsSim) deleteDocuments(req *mewsRemoveDocuments) (any, *mewsStatus) {
	if e := mewsCount(len(req.IdentityDocumentIds), 100, "IdentityDocumentIds"); e != nil {
		return nil, e
	}
	for _, id := range req.IdentityDocumentIds {
		if !slices.ContainsFunc(m.docs, func(d *MewsDocument) bool { return d.ID == id }) {
			return nil, mewsInvalid("IdentityDocumentIds")
		}
	}
	m.docs = slices.DeleteFunc(m.docs, func(d *MewsDocument) bool { return slices.Contains(req.IdentityDocumentIds, d.ID) })
	return nil, nil
}

func (m *mewsSim) clearDocuments(req *mewsRemoveDocuments) (any, *mewsStatus) {
	if e := mewsCount(len(req.CustomerIds), 10, "CustomerIds"); e != nil {
		return nil, e
	}
	m.docs = slices.DeleteFunc(m.docs, func(d *MewsDocument) bool { return slices.Contains(req.CustomerIds, d.CustomerID) })
	return nil, nil
}

type mewsGetAllCustomers struct {
	ChainIds                                   []string
	Extent                                     *struct{ Customers bool }
	Emails, FirstNames, LastNames, CustomerIds []string
	Limitation                                 *mewsLimitation
}

func (m *mewsSim) getAllCustomers(req *mewsGetAllCustomers) (any, *mewsStatus) {
	if req.Extent == nil {
		return nil, mewsInvalid("Extent")
	}
	if e := mewsLists(mewsList{len(req.Emails), 0, 1000, "Emails"}, mewsList{len(req.FirstNames), 0, 1000, "FirstNames"},
		mewsList{len(req.LastNames), 0, 1000, "LastNames"}, mewsList{len(req.CustomerIds), 0, 1000, "CustomerIds"}); e != nil {
		return nil, e
	}
	if e := mewsCheckLimitation(req.Limitation); e != nil {
		return nil, e
	}
	in := func(list []string, v string) bool {
		return len(list) == 0 || slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, v) })
	}
	var match []mewsCustomer
	for i := len(m.customers) - 1; i >= 0; i-- {
		c := m.customers[i]
		if in(req.Emails, c.Email) && in(req.FirstNames, c.FirstName) && in(req.LastNames, c.LastName) &&
			in(req.CustomerIds, c.ID) && in(req.ChainIds, c.ChainID) {
			match = append(match, c)
		}
	}
	items, cursor, e := mewsPage(match, func(c mewsCustomer) string { return c.ID }, req.Limitation)
	if e != nil {
		return nil, e
	}
	if !req.Extent.Customers {
		items = []mewsCustomer{}
	}
	return map[string]any{"Customers": items, "Cursor": cursor}, nil
}

func (m *mewsSim) searchCustomers(req *struct{ Name *string }) (any, *mewsStatus) {
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return nil, mewsInvalid("Name")
	}
	q := strings.ToLower(strings.TrimSpace(*req.Name))
	type result struct {
		Customer    mewsCustomer
		Reservation any
	}
	out := []result{}
	for _, c := range m.customers {
		if strings.Contains(strings.ToLower(c.FirstName+" "+c.LastName), q) {
			out = append(out, result{Customer: c})
		}
	}
	return map[string]any{"Customers": out}, nil
}

func (m *mewsSim) configuration(*struct{}) (any, *mewsStatus) {
	return map[string]any{
		"NowUtc":                           m.now().UTC().Format(time.RFC3339),
		"IsIdentityDocumentNumberRequired": m.numberReq,
		"Enterprise": map[string]any{
			"Id": MewsEnterpriseID, "ChainId": MewsChainID, "Name": "Signet Self Storage (simulated)",
			"TimeZoneIdentifier": MewsTimeZone, "DefaultLanguageCode": "en-US", "CurrencyCode": "SEK",
		},
	}, nil
}
