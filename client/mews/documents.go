package mews

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/internal/redact"
)

// DocumentsService is the identity-document operations.
//
// Reference: https://docs.mews.com/connector-api/operations/identitydocuments
type DocumentsService service

// DocumentListOptions selects documents for GetAll. CustomerIDs is required
// by the API; any number may be given and the client splits them (and
// IdentityDocumentIDs) into calls of at most 100.
type DocumentListOptions struct {
	CustomerIDs         []string
	IdentityDocumentIDs []string
	Types               []DocumentType
	// ChainIDs limits the result to these chains (at most 1000); empty
	// means every chain the access token reaches.
	ChainIDs []string
	// Count is Limitation.Count, the page size (1–1000); 0 means the
	// client's page count (default 1000).
	Count int
}

type getAllDocumentsRequest struct {
	envelope
	CustomerIds         []string
	IdentityDocumentIds []string       `json:",omitempty"`
	Types               []DocumentType `json:",omitempty"`
	ChainIds            []string       `json:",omitempty"`
	Limitation          Limitation
}

type documentsPage struct {
	IdentityDocuments []Document
	Cursor            *string
}

// GetAll iterates over every document that matches opts, page by page and
// chunk by chunk, newest first within each chunk. It stops at the first
// error, which it yields with a zero Document. No customer ids yields
// nothing and sends nothing. One call is capped at the client's listing
// limits (WithListLimits): past them it yields a *ListLimitError.
//
// A 408 (request too heavy) is retried with half the page size.
//
// Reference: https://docs.mews.com/connector-api/operations/identitydocuments#get-all-identity-documents
func (s *DocumentsService) GetAll(ctx context.Context, opts DocumentListOptions) iter.Seq2[Document, error] {
	return s.getAll(ctx, opts, s.client.policy)
}

// List collects every document GetAll yields.
func (s *DocumentsService) List(ctx context.Context, opts DocumentListOptions) ([]Document, error) {
	return collect(s.GetAll(ctx, opts))
}

func collect(seq iter.Seq2[Document, error]) ([]Document, error) {
	var out []Document
	for d, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *DocumentsService) getAll(ctx context.Context, opts DocumentListOptions, policy *retry.Policy) iter.Seq2[Document, error] {
	c := s.client
	return func(yield func(Document, error) bool) {
		if len(opts.CustomerIDs) == 0 {
			return
		}
		count := opts.Count
		if count == 0 {
			count = c.pageCount
		}
		if count < 1 || count > MaxPageCount {
			yield(Document{}, fmt.Errorf("%w: page count %d outside 1–%d", ErrInvalidInput, count, MaxPageCount))
			return
		}
		if len(opts.ChainIDs) > MaxGetAllChains {
			yield(Document{}, fmt.Errorf("%w: %d chain ids, at most %d", ErrInvalidInput, len(opts.ChainIDs), MaxGetAllChains))
			return
		}
		list := c.listing("identityDocuments/getAll")
		idChunks := [][]string{nil}
		if len(opts.IdentityDocumentIDs) > 0 {
			idChunks = chunks(opts.IdentityDocumentIDs, MaxGetAllIDs)
		}
		for _, customers := range chunks(opts.CustomerIDs, MaxGetAllIDs) {
			for _, ids := range idChunks {
				req := getAllDocumentsRequest{
					envelope: c.envelope(), CustomerIds: customers, IdentityDocumentIds: ids,
					Types: opts.Types, ChainIds: opts.ChainIDs,
				}
				if !s.pages(ctx, req, count, policy, list, yield) {
					return
				}
			}
		}
	}
}

// pages runs the cursor loop of one chunk, counting pages and items in
// list; it returns false when iteration must stop.
func (s *DocumentsService) pages(ctx context.Context, req getAllDocumentsRequest, count int, policy *retry.Policy, list *listing, yield func(Document, error) bool) bool {
	const op = "identityDocuments/getAll"
	var cursor *string
	for {
		if err := list.next(); err != nil {
			yield(Document{}, err)
			return false
		}
		var page documentsPage
		err := policy.Do(ctx, func(ctx context.Context) error {
			page = documentsPage{}
			req.Limitation = Limitation{Count: count, Cursor: cursor}
			err := s.client.call(ctx, op, req, &page)
			if IsRequestTimeout(err) && count > 1 {
				count = (count + 1) / 2 // too heavy: ask for less next time
			}
			return err
		})
		if err == nil {
			err = list.got(len(page.IdentityDocuments))
		}
		if err != nil {
			yield(Document{}, err)
			return false
		}
		for _, d := range page.IdentityDocuments {
			if !yield(d, nil) {
				return false
			}
		}
		if len(page.IdentityDocuments) < count || page.Cursor == nil || *page.Cursor == "" {
			return true
		}
		if cursor != nil && *cursor == *page.Cursor {
			yield(Document{}, fmt.Errorf("mews: %s: the cursor did not move", op))
			return false
		}
		cursor = page.Cursor
	}
}

// chunks splits s into slices of at most n (sharing s's array).
func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

type addDocumentsRequest struct {
	envelope
	ChainId           string     `json:",omitempty"`
	IdentityDocuments []Document // each through toNew
}

type writeResult struct {
	IdentityDocuments []Document
}

// Add creates documents, in calls of at most 10, and returns them as
// created (with their Id), in the order given. Each needs CustomerID and
// Type; Number may be "" where numbers are not collected. No documents sends
// nothing.
//
// The API has no idempotency key, so a failed add is never re-sent blindly:
// after a failure that leaves it unknown whether the documents were created
// (a network error, 408, 5xx), the client first reads the customers'
// documents and re-sends only those not there yet (same customer, type and
// number). On error, the documents created so far are returned with it.
//
// Reference: https://docs.mews.com/connector-api/operations/identitydocuments#add-identity-documents
func (s *DocumentsService) Add(ctx context.Context, docs []Document) ([]Document, error) {
	for i, d := range docs {
		if d.CustomerID == "" {
			return nil, fmt.Errorf("%w: document %d has no customer id", ErrInvalidInput, i+1)
		}
		if d.Type == "" {
			return nil, fmt.Errorf("%w: document %d has no type", ErrInvalidInput, i+1)
		}
	}
	for _, d := range docs {
		// The API may echo them in a Message: no log line shows them.
		redact.RegisterPersonal(d.Number, d.IdentityDocumentSupportNumber)
	}
	out := make([]Document, 0, len(docs))
	for _, batch := range chunks(docs, MaxAddBatch) {
		created, err := s.addBatch(ctx, batch)
		if err != nil {
			return out, err
		}
		out = append(out, created...)
	}
	return out, nil
}

// sameDocument is the identity the add recovery matches on.
func sameDocument(a, b Document) bool {
	return a.CustomerID == b.CustomerID && a.Type == b.Type && a.Number == b.Number
}

// ambiguous reports whether a failed add may nevertheless have created
// documents: anything but an API answer that refused the request outright.
func ambiguous(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return true
	}
	return ae.Status == http.StatusRequestTimeout || ae.Status >= 500
}

func (s *DocumentsService) addBatch(ctx context.Context, batch []Document) ([]Document, error) {
	const op = "identityDocuments/add"
	c := s.client
	created := make([]Document, len(batch))
	done := make([]bool, len(batch))
	unsure := false
	noRetry := &retry.Policy{MaxAttempts: 1}
	err := c.policy.Do(ctx, func(ctx context.Context) error {
		if unsure {
			// Which of the batch did the last attempt create? Read before re-sending.
			var customers []string
			var types []DocumentType
			for i, d := range batch {
				if !done[i] {
					customers = appendUnique(customers, d.CustomerID)
					types = appendUnique(types, d.Type)
				}
			}
			have, err := collect(s.getAll(ctx, DocumentListOptions{CustomerIDs: customers, Types: types}, noRetry))
			if err != nil {
				return err
			}
			taken := make([]bool, len(have))
			for i, d := range batch {
				if done[i] {
					continue
				}
				for j, h := range have {
					if !taken[j] && sameDocument(d, h) {
						taken[j], done[i], created[i] = true, true, h
						break
					}
				}
			}
			unsure = false
		}
		var idx []int
		req := addDocumentsRequest{envelope: c.envelope(), ChainId: c.chainID}
		for i, d := range batch {
			if !done[i] {
				idx = append(idx, i)
				req.IdentityDocuments = append(req.IdentityDocuments, toNew(d))
			}
		}
		if len(idx) == 0 {
			return nil
		}
		var res writeResult
		if err := c.call(ctx, op, req, &res); err != nil {
			unsure = ambiguous(err)
			return err
		}
		if len(res.IdentityDocuments) == len(idx) {
			for k, i := range idx {
				created[i], done[i] = res.IdentityDocuments[k], true
			}
			return nil
		}
		// A result of another length: match what came back by content.
		taken := make([]bool, len(res.IdentityDocuments))
		for _, i := range idx {
			for j, r := range res.IdentityDocuments {
				if !taken[j] && sameDocument(batch[i], r) {
					taken[j], created[i], done[i] = true, r, true
					break
				}
			}
		}
		return nil
	})
	var out []Document
	for i := range batch {
		if done[i] {
			out = append(out, created[i])
		}
	}
	if err != nil {
		return out, err
	}
	if len(out) != len(batch) {
		return out, fmt.Errorf("mews: %s: %d of %d documents came back", op, len(out), len(batch))
	}
	return out, nil
}

func appendUnique[T comparable](s []T, v T) []T {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

type updateDocumentsRequest struct {
	envelope
	ChainId           string `json:",omitempty"`
	IdentityDocuments []DocumentUpdate
}

// Update changes documents, in calls of at most 10, and returns them as
// updated. Clearing Type returns ErrClearType and an update without an Id
// an ErrInvalidInput error, before anything is sent. Safe to repeat, so it
// is retried on transient failures.
//
// Reference: https://docs.mews.com/connector-api/operations/identitydocuments#update-identity-documents
func (s *DocumentsService) Update(ctx context.Context, updates []DocumentUpdate) ([]Document, error) {
	for i, u := range updates {
		if u.ID == "" {
			return nil, fmt.Errorf("%w: update %d has no document id", ErrInvalidInput, i+1)
		}
		if u.Type.IsClear() {
			return nil, ErrClearType
		}
		for _, f := range []Update[string]{u.Number, u.IdentityDocumentSupportNumber} {
			if v, ok := f.Value(); ok {
				redact.RegisterPersonal(v)
			}
		}
	}
	c := s.client
	var out []Document
	for _, batch := range chunks(updates, MaxUpdateBatch) {
		var res writeResult
		req := updateDocumentsRequest{envelope: c.envelope(), ChainId: c.chainID, IdentityDocuments: batch}
		if err := c.do(ctx, "identityDocuments/update", req, &res); err != nil {
			return out, err
		}
		out = append(out, res.IdentityDocuments...)
	}
	return out, nil
}

// removeDocumentsRequest is the body of delete, which names documents, and
// of clear, which names customers.
type removeDocumentsRequest struct {
	envelope
	ChainId             string   `json:",omitempty"`
	IdentityDocumentIds []string `json:",omitempty"`
	CustomerIds         []string `json:",omitempty"`
}

// Delete removes documents by id, in calls of at most 100.
//
// Reference: https://docs.mews.com/connector-api/operations/identitydocuments#delete-identity-documents
func (s *DocumentsService) Delete(ctx context.Context, ids []string) error {
	return s.remove(ctx, "identityDocuments/delete", ids, MaxDeleteBatch,
		func(r *removeDocumentsRequest, batch []string) { r.IdentityDocumentIds = batch })
}

// Clear removes every document of the given customers, in calls of at most 10 customers.
//
// Reference: https://docs.mews.com/connector-api/operations/identitydocuments#clear-identity-documents
func (s *DocumentsService) Clear(ctx context.Context, customerIDs []string) error {
	return s.remove(ctx, "identityDocuments/clear", customerIDs, MaxClearBatch,
		func(r *removeDocumentsRequest, batch []string) { r.CustomerIds = batch })
}

// remove calls op once per batch of at most n ids, which name puts in the
// request, and stops at the first failure.
func (s *DocumentsService) remove(ctx context.Context, op string, ids []string, n int, name func(*removeDocumentsRequest, []string)) error {
	c := s.client
	for _, batch := range chunks(ids, n) {
		req := removeDocumentsRequest{envelope: c.envelope(), ChainId: c.chainID}
		name(&req, batch)
		if err := c.do(ctx, op, req, nil); err != nil {
			return err
		}
	}
	return nil
}
