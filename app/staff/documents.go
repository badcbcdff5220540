package staff

import (
	"context"
	"strings"

	"github.com/signet-kiosk/signet/client/mews"
)

// OpenCustomer shows a customer's documents and reads them.
func (s *Session) OpenCustomer(cu mews.Customer) {
	s.Customer = &cu
	s.Docs, s.Form, s.Problem, s.Notice = nil, nil, Note{}, Note{}
	s.Shown = map[string]bool{}
	s.o.Log.Info("staff opened a customer's documents", "customer", cu)
	s.LoadDocuments(Note{})
}

// CloseCustomer goes back from the documents to the search results.
func (s *Session) CloseCustomer() { s.Customer = nil }

// LoadDocuments reads every page of the customer's documents; notice is
// shown once they are in.
func (s *Session) LoadDocuments(notice Note) {
	id := s.Customer.ID
	mc, log := s.o.Mews, s.o.Log
	s.run(func(ctx context.Context) func() {
		docs, err := mc.Documents.List(ctx, mews.DocumentListOptions{CustomerIDs: []string{id}})
		return func() {
			if err != nil {
				log.Warn("staff document list failed", "err", err)
				s.Problem = NoteFor(err)
				return
			}
			s.Docs = docs
			s.Notice = notice
		}
	})
}

// ToggleShown shows or hides one document's number.
func (s *Session) ToggleShown(id string) { s.Shown[id] = !s.Shown[id] }

// Delete removes one document.
func (s *Session) Delete(d mews.Document) {
	mc := s.o.Mews
	s.change("staff document delete failed", "staff deleted an identity document", note("staff.delete.done"),
		func(ctx context.Context) ([]any, error) {
			return []any{"document", d}, mc.Documents.Delete(ctx, []string{d.ID})
		})
}

// RemoveAll removes every document of the customer; the screen asks staff
// to type the last name first (SameName).
func (s *Session) RemoveAll() {
	cu, mc := *s.Customer, s.o.Mews
	s.change("staff remove all documents failed", "staff removed every identity document of a customer", note("staff.remove_all.done"),
		func(ctx context.Context) ([]any, error) {
			return []any{"customer", cu}, mc.Documents.Clear(ctx, []string{cu.ID})
		})
}

// change sends one change of the customer's documents. Once Mews has it,
// done is logged with what call returns and kept among the events, the
// form is closed and the documents are read again, with notice; a failure
// is logged as failed and shown.
// Both name the account that made the change (its name, never its PIN).
func (s *Session) change(failed, done string, notice Note, call func(ctx context.Context) ([]any, error)) {
	log, events, who := s.o.Log, s.o.Events, s.Account
	s.run(func(ctx context.Context) func() {
		attrs, err := call(ctx)
		attrs = append(attrs, who.Attr())
		return func() {
			if err != nil {
				log.Warn(failed, "err", err, who.Attr())
				s.Problem = NoteFor(err)
				return
			}
			log.Info(done, attrs...)
			events.Add(done)
			s.Form = nil
			s.LoadDocuments(notice)
		}
	})
}

// MaskNumber hides all but the last two characters of a document number.
func MaskNumber(n string) string {
	r := []rune(n)
	if len(r) <= 2 {
		return strings.Repeat("•", len(r))
	}
	return strings.Repeat("•", len(r)-2) + string(r[len(r)-2:])
}
