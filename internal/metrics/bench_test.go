package metrics

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkCameraFrame is the cost of metrics per camera frame: the
// counter and the fps meter.
func BenchmarkCameraFrame(b *testing.B) {
	m := New("bench")
	b.ReportAllocs()
	for b.Loop() {
		m.CameraFrame()
	}
}

// BenchmarkObserveRequest is the cost of metrics per API request in the
// common case: a known endpoint answering 200.
func BenchmarkObserveRequest(b *testing.B) {
	m := New("bench")
	o := m.API("storegister")
	req := httptest.NewRequest("POST", "https://sr.example/api/v1/booking/3f2504e0-4f89-11d3-9a0c-0305e82c3301/identity-document/save", nil)
	b.ReportAllocs()
	for b.Loop() {
		o.ObserveRequest(req, http.StatusOK, nil, 120*time.Millisecond)
	}
}

// BenchmarkObserveRequestError is the cost per failed request (a status
// other than 200: a label lookup, and the error counter).
func BenchmarkObserveRequestError(b *testing.B) {
	m := New("bench")
	o := m.API("mews")
	req := httptest.NewRequest("POST", "https://mews.example/api/connector/v1/identityDocuments/add", nil)
	err := errors.New("connection reset")
	b.ReportAllocs()
	for b.Loop() {
		o.ObserveRequest(req, 0, err, 3*time.Second)
	}
}
