package sim

import "net/http"

// mountMews adds the Mews Connector API routes to mux. This is a placeholder:
// the Mews helper (#4) replaces this file. Every route on mux goes through
// the fault middleware (withFaults) already.
func (s *Server) mountMews(mux *http.ServeMux) {}
