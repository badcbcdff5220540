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
	mc, log, events := s.o.Mews, s.o.Log, s.o.Events
	s.run(func(ctx context.Context) func() {
		err := mc.Documents.Delete(ctx, []string{d.ID})
		return func() {
			if err != nil {
				log.Warn("staff document delete failed", "err", err)
				s.Problem = NoteFor(err)
				return
			}
			log.Info("staff deleted an identity document", "document", d)
			events.Add("staff deleted an identity document")
			s.LoadDocuments(note("staff.delete.done"))
		}
	})
}

// RemoveAll removes every document of the customer; the screen asks staff
// to type the last name first (SameName).
func (s *Session) RemoveAll() {
	cu := *s.Customer
	mc, log, events := s.o.Mews, s.o.Log, s.o.Events
	s.run(func(ctx context.Context) func() {
		err := mc.Documents.Clear(ctx, []string{cu.ID})
		return func() {
			if err != nil {
				log.Warn("staff remove all documents failed", "err", err)
				s.Problem = NoteFor(err)
				return
			}
			log.Info("staff removed every identity document of a customer", "customer", cu)
			events.Add("staff removed every identity document of a customer")
			s.LoadDocuments(note("staff.remove_all.done"))
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
