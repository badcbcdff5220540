package mews

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
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
