package compare

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

// replay is a loopback server in front of a fake: the first 200 answer to a
// GET of each path and query is fetched from the fake and kept, and later
// GETs of it with an Authorization the fake accepted are answered from
// memory. Walks through it cost the client's work and loopback HTTP only,
// not the fake's page generation, and every client reads the same bytes.
type replay struct {
	*httptest.Server
	target string
	hc     *http.Client

	mu       sync.Mutex
	pages    map[string][]byte
	accepted map[string]bool
}

func newReplay(tb testing.TB) *replay {
	r := &replay{pages: map[string][]byte{}, accepted: map[string]bool{}, hc: newPlainClient()}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	tb.Cleanup(r.Close)
	return r
}

func (r *replay) key(req *http.Request) string {
	return req.URL.Path + "?" + req.URL.Query().Encode()
}

func (r *replay) serve(w http.ResponseWriter, req *http.Request) {
	key := r.key(req)
	if req.Method == http.MethodGet {
		r.mu.Lock()
		body, ok := r.pages[key]
		ok = ok && r.accepted[req.Header.Get("Authorization")]
		r.mu.Unlock()
		if ok {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
			return
		}
	}
	in, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out, err := http.NewRequestWithContext(req.Context(), req.Method, r.target+req.URL.RequestURI(), bytes.NewReader(in))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out.Header = req.Header.Clone()
	resp, err := r.hc.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if req.Method == http.MethodGet && resp.StatusCode == http.StatusOK {
		r.mu.Lock()
		r.pages[key] = body
		r.accepted[req.Header.Get("Authorization")] = true
		r.mu.Unlock()
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}
