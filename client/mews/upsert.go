package mews

import (
	"context"
	"fmt"
)

// Upsert records d for its customer the way a kiosk records a guest's
// document: when the customer already has a document of d's type, that one
// is updated with d's number, expiry and issuing country (a field d leaves
// empty is left as it is); otherwise d is added. It returns the document
// and whether it was an update. An identical document already there is
// returned as is, so Upsert is safe to repeat after an ambiguous failure.
//
// Mews API docs: https://docs.mews.com/connector-api/operations/identitydocuments
func (s *DocumentsService) Upsert(ctx context.Context, d Document) (Document, bool, error) {
	if d.CustomerID == "" || d.Type == "" {
		return Document{}, false, fmt.Errorf("%w: upsert needs a customer id and a type", ErrInvalidInput)
	}
	have, err := s.List(ctx, DocumentListOptions{CustomerIDs: []string{d.CustomerID}, Types: []DocumentType{d.Type}})
	if err != nil {
		return Document{}, false, err
	}
	if len(have) == 0 {
		out, err := s.Add(ctx, []Document{d})
		if err != nil {
			return Document{}, false, err
		}
		if len(out) == 0 {
			return Document{}, false, fmt.Errorf("mews: identityDocuments/add returned no document")
		}
		return out[0], false, nil
	}
	cur := have[0] // newest first
	if cur.Number == d.Number && (d.ExpirationDate.IsZero() || cur.ExpirationDate == d.ExpirationDate) &&
		(d.IssuingCountryCode == "" || cur.IssuingCountryCode == d.IssuingCountryCode) {
		return cur, true, nil
	}
	u := DocumentUpdate{ID: cur.ID, Number: Set(d.Number)}
	if !d.ExpirationDate.IsZero() {
		u.ExpirationDate = Set(d.ExpirationDate)
	}
	if d.IssuingCountryCode != "" {
		u.IssuingCountryCode = Set(d.IssuingCountryCode)
	}
	out, err := s.Update(ctx, []DocumentUpdate{u})
	if err != nil {
		return Document{}, true, err
	}
	if len(out) == 0 {
		return cur, true, nil
	}
	return out[0], true, nil
}
