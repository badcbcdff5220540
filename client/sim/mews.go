package sim

import (
	"net/http"
	"time"
)

// mountMews adds the Mews Connector API routes (/api/connector/v1/…) to mux.
// Every route on mux goes through the fault middleware (withFaults) already.
// The Mews platform address of a started simulator is its URL.
func (s *Server) mountMews(mux *http.ServeMux) {
	s.mews = newMewsSim(func() time.Time { return s.now() })
	mux.Handle(mewsPrefix, s.mews)
}

// MewsURL returns the Mews platform address after Start, else "".
func (s *Server) MewsURL() string { return s.URL() }

// MewsDocuments returns copies of the identity documents the Mews simulation
// holds, oldest first.
func (s *Server) MewsDocuments() []MewsDocument {
	m := s.mews
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]MewsDocument, len(m.docs))
	for i, d := range m.docs {
		out[i] = *d
	}
	return out
}

// SetMewsNumberRequired sets the enterprise's IsIdentityDocumentNumberRequired
// (true by default): when true, a document without a number is refused
// with 403.
func (s *Server) SetMewsNumberRequired(required bool) {
	s.mews.mu.Lock()
	defer s.mews.mu.Unlock()
	s.mews.numberReq = required
}

// MewsRateLimited returns how many Mews requests were answered 429 by the
// simulated rate limit (injected faults not counted).
func (s *Server) MewsRateLimited() int {
	s.mews.mu.Lock()
	defer s.mews.mu.Unlock()
	return s.mews.limited
}

// ResetMews forgets every Mews identity document and the rate-limit windows.
func (s *Server) ResetMews() {
	m := s.mews
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs, m.rate, m.limited, m.requests = nil, map[string][]time.Time{}, 0, 0
	m.numberReq = true
}
