package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/signet-kiosk/signet/client/transport"
)

// The APIs and their endpoints, as path templates: a label never holds a
// booking id or anything else from a request. A request to a path not
// listed counts as endpoint "other".
var apiEndpoints = map[string][]string{
	"storegister": {
		"GET v1/booking/{id}/activity-quotation/preview",
		"GET v1/booking/{id}/identity-document/save",
		"POST v1/booking/{id}/identity-document/save",
		"POST v1/booking/{id}/document/save",
	},
	"mews": {
		"POST configuration/get",
		"POST customers/getAll",
		"POST customers/search",
		"POST identityDocuments/getAll",
		"POST identityDocuments/add",
		"POST identityDocuments/update",
		"POST identityDocuments/delete",
		"POST identityDocuments/clear",
	},
}

// APIs lists the values of the api label.
var APIs = []string{"storegister", "mews"}

// ErrorKinds are the values of signet_api_errors_total{kind}.
var ErrorKinds = []string{"timeout", "network", "server", "rate_limited", "auth", "client", "redirect", "too_large", "insecure", "canceled"}

// Endpoints returns the endpoint label values of api, "other" included.
func Endpoints(api string) []string {
	return append(append([]string(nil), apiEndpoints[api]...), "other")
}

// API returns the observer of api's requests ("storegister" or "mews"), to
// pass as client/transport's Options.Observer. An unknown api is counted
// as "other" with endpoint "other".
func (m *Metrics) API(api string) *APIObserver {
	if o, ok := m.apis[api]; ok {
		return o
	}
	return newAPIObserver(m, "other")
}

// APIObserver records the requests of one API; it is a
// client/transport.Observer.
type APIObserver = apiObserver

var _ transport.Observer = (*APIObserver)(nil)

type apiObserver struct {
	m   *Metrics
	api string
	// Per endpoint, the series resolved ahead: a request costs no label
	// lookup in the common cases (200, and each error kind).
	eps map[string]*endpointSeries
}

type endpointSeries struct {
	ok     prometheus.Observer // code 200
	errors map[string]prometheus.Counter
}

func newAPIObserver(m *Metrics, api string) *apiObserver {
	o := &apiObserver{m: m, api: api, eps: map[string]*endpointSeries{}}
	for _, ep := range Endpoints(api) {
		s := &endpointSeries{ok: m.apiDuration.WithLabelValues(api, ep, "200"), errors: map[string]prometheus.Counter{}}
		for _, k := range ErrorKinds {
			s.errors[k] = m.apiErrors.WithLabelValues(api, ep, k)
		}
		o.eps[ep] = s
	}
	return o
}

// ObserveRequest records one request: its duration under its status code
// (none without a response), and an error of its kind when it failed.
func (o *apiObserver) ObserveRequest(req *http.Request, status int, err error, took time.Duration) {
	ep := o.endpoint(req)
	s := o.eps[ep]
	if status == 200 && err == nil {
		s.ok.Observe(took.Seconds())
		return
	}
	o.m.apiDuration.WithLabelValues(o.api, ep, codeLabel(status)).Observe(took.Seconds())
	if k := errorKind(status, err); k != "" {
		s.errors[k].Inc()
	}
}

// endpoint maps a request to its template, "other" when it is not one of
// the API's known endpoints.
func (o *apiObserver) endpoint(req *http.Request) string {
	if req == nil || req.URL == nil {
		return "other"
	}
	p := req.URL.Path
	// The part of the path after the API's prefix, and the prefix of the
	// templates it is compared with (no string is built: this runs on
	// every request).
	var tail, prefix string
	switch o.api {
	case "storegister":
		// …/v1/booking/<id>/<rest>: the id is left out.
		i := strings.LastIndex(p, "/v1/booking/")
		if i < 0 {
			return "other"
		}
		rest := p[i+len("/v1/booking/"):]
		j := strings.IndexByte(rest, '/')
		if j <= 0 {
			return "other"
		}
		tail, prefix = strings.TrimSuffix(rest[j+1:], "/"), "v1/booking/{id}/"
	case "mews":
		i := strings.LastIndex(p, "/api/connector/v1/")
		if i < 0 {
			return "other"
		}
		tail = p[i+len("/api/connector/v1/"):]
	default:
		return "other"
	}
	for _, ep := range apiEndpoints[o.api] {
		// ep is "METHOD template".
		m, t, _ := strings.Cut(ep, " ")
		if m != req.Method {
			continue
		}
		if t, ok := strings.CutPrefix(t, prefix); ok && t == tail {
			return ep
		}
	}
	return "other"
}

// errorKind classifies a failed request; "" when it did not fail. A 404
// is an answer (no such booking), not an error of the API.
func errorKind(status int, err error) string {
	if err != nil {
		var ne net.Error
		switch {
		case errors.Is(err, context.Canceled):
			return "canceled"
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
			return "timeout"
		case errors.Is(err, transport.ErrRedirect):
			return "redirect"
		case errors.Is(err, transport.ErrTooLarge):
			return "too_large"
		case errors.Is(err, transport.ErrInsecure):
			return "insecure"
		}
		return "network"
	}
	switch {
	case status >= 500:
		return "server"
	case status == 429:
		return "rate_limited"
	case status == 401 || status == 403:
		return "auth"
	case status == 404:
		return ""
	case status >= 400:
		return "client"
	}
	return ""
}
