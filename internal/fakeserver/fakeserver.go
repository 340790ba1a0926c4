// Package fakeserver is the machinery shared by the <p>test fakes: a loopback
// httptest server with a request log, credential checks, a path router that
// keeps escaped segments whole, connection counting and fault injection.
package fakeserver

import (
	"bytes"
	"compress/gzip"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is a kind of injected fault.
type Kind int

// The fault kinds.
const (
	// Status answers with Fault.Status (and Retry-After when set) in the
	// provider's error shape.
	Status Kind = iota + 1
	// Drop closes the connection without an answer.
	Drop
	// Truncate sends the real answer's headers and half its body, then
	// closes the connection.
	Truncate
	// Slow waits Fault.Delay (or until the client gives up) and then serves
	// the real answer.
	Slow
	// Blank answers 200 with the real answer's headers and an empty body,
	// as a misbehaving proxy or cache may.
	Blank
	// CutShort sends the real answer's status and headers without a
	// Content-Length (and not chunked), half its body, and closes the
	// connection: to the client the body just ends early.
	CutShort
	// GzipBomb answers 200 with "Content-Encoding: gzip" and a body that
	// inflates to Fault.Size bytes (default 1 GiB) of spaces from about a
	// thousandth of that on the wire.
	GzipBomb
	// Endless answers 200 with a chunked body that never ends: it writes
	// until the client goes away.
	Endless
)

func (k Kind) String() string {
	switch k {
	case Status:
		return "status"
	case Drop:
		return "drop"
	case Truncate:
		return "truncate"
	case Slow:
		return "slow"
	case Blank:
		return "blank"
	case CutShort:
		return "cut-short"
	case GzipBomb:
		return "gzip-bomb"
	case Endless:
		return "endless"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Fault describes one injected failure.
type Fault struct {
	Kind Kind
	// Status is the HTTP status for Kind Status (default 500).
	Status int
	// RetryAfter, when positive, is sent as Retry-After in whole seconds,
	// rounded up; use RetryAfterRaw for any other form.
	RetryAfter time.Duration
	// RetryAfterRaw, when set, is sent as the Retry-After header verbatim.
	RetryAfterRaw string
	// Header holds extra answer headers for Kind Status.
	Header http.Header
	// Body, when set, is sent verbatim for Kind Status instead of the
	// provider's error shape.
	Body string
	// Delay is the wait for Kind Slow.
	Delay time.Duration
	// Size is the inflated size of Kind GzipBomb (default 1 GiB).
	Size int64
	// Path, when set, limits the fault to requests whose path starts with it.
	// A fault without a Path never hits the public paths of Config.Public
	// (a token endpoint): name such a path to fault it.
	Path string
}

// Common faults.
var (
	Fault429      = Fault{Kind: Status, Status: http.StatusTooManyRequests, RetryAfter: time.Second}
	Fault500      = Fault{Kind: Status, Status: http.StatusInternalServerError}
	Fault502      = Fault{Kind: Status, Status: http.StatusBadGateway}
	Fault503      = Fault{Kind: Status, Status: http.StatusServiceUnavailable}
	Fault504      = Fault{Kind: Status, Status: http.StatusGatewayTimeout}
	FaultDrop     = Fault{Kind: Drop}
	FaultTruncate = Fault{Kind: Truncate}
	FaultBlank    = Fault{Kind: Blank}
	FaultCutShort = Fault{Kind: CutShort}
	FaultGzipBomb = Fault{Kind: GzipBomb}
	FaultEndless  = Fault{Kind: Endless}
)

// AllFaults returns one fault of every kind, slow answers delayed by delay
// and 429s asking for retryAfter.
func AllFaults(retryAfter, delay time.Duration) []Fault {
	f429 := Fault429
	f429.RetryAfter = retryAfter
	if retryAfter < time.Second {
		f429.RetryAfterRaw = strconv.FormatFloat(retryAfter.Seconds(), 'f', -1, 64)
	}
	return []Fault{f429, Fault500, Fault502, Fault503, Fault504, FaultDrop, FaultTruncate, {Kind: Slow, Delay: delay}}
}

// Request is one request as the fake received it.
type Request struct {
	Method   string
	Path     string // decoded
	RawPath  string // as sent, escaped
	RawQuery string
	Query    url.Values
	Header   http.Header
	Body     []byte
	Fault    *Fault // the fault injected into this request, if any
}

// ErrorWriter writes an error in the provider's own shape.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, code, message string)

// Server is the shared fake: an httptest.Server plus log and faults.
type Server struct {
	*httptest.Server

	handler  http.Handler
	errorFn  ErrorWriter
	authFn   func(r *http.Request) bool
	noAuth   map[string]bool
	mu       sync.Mutex
	log      []Request
	logLimit int
	queue    []Fault
	rate     float64
	pool     []Fault
	rng      *rand.Rand
	conns    atomic.Int64
	requests atomic.Int64
}

// Config configures New.
type Config struct {
	// Handler serves the provider's API once faults and auth are passed.
	Handler http.Handler
	// Errors writes errors in the provider's shape; nil writes JSON
	// {"code","message"}.
	Errors ErrorWriter
	// Auth checks the credentials; nil accepts every request.
	Auth func(r *http.Request) bool
	// Public lists paths that skip Auth (a token endpoint).
	Public []string
	// LogLimit caps the request log (0 means 10,000 requests; older ones are
	// dropped first).
	LogLimit int
	// TLS starts an https server instead of http.
	TLS bool
	// Contract names the API description the fake follows ("workiva",
	// "activtrak", "activtrak-early-access"): the key a ContractHook uses to
	// choose the OpenAPI document it checks this fake's traffic against.
	Contract string
}

// New starts a fake on a loopback port.
func New(cfg Config) *Server {
	s := &Server{handler: cfg.Handler, errorFn: cfg.Errors, authFn: cfg.Auth, logLimit: cfg.LogLimit,
		noAuth: map[string]bool{}, rng: rand.New(rand.NewPCG(1, 2))}
	if s.logLimit <= 0 {
		s.logLimit = 10_000
	}
	if s.errorFn == nil {
		s.errorFn = func(w http.ResponseWriter, _ *http.Request, status int, code, message string) {
			WriteJSON(w, status, map[string]string{"code": code, "message": message})
		}
	}
	for _, p := range cfg.Public {
		s.noAuth[p] = true
	}
	var h http.Handler = http.HandlerFunc(s.serve)
	if wrap := contractHook(); wrap != nil {
		h = wrap(cfg.Contract, h)
	}
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	if cfg.TLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	s.Server = ts
	return s
}

// Connections returns how many TCP connections clients have opened.
func (s *Server) Connections() int64 { return s.conns.Load() }

// RequestCount returns how many requests arrived, faults included.
func (s *Server) RequestCount() int64 { return s.requests.Load() }

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// LastRequest returns the most recent request and false when there is none.
func (s *Server) LastRequest() (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) == 0 {
		return Request{}, false
	}
	return s.log[len(s.log)-1], true
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}

// FailNext queues faults for the next requests, one per request, in order.
func (s *Server) FailNext(faults ...Fault) {
	s.mu.Lock()
	s.queue = append(s.queue, faults...)
	s.mu.Unlock()
}

// FailRandomly makes each request fail with probability rate (0..1), with a
// fault drawn from faults, reproducibly for a given seed. A rate of 0 stops
// random faults.
func (s *Server) FailRandomly(rate float64, seed uint64, faults ...Fault) {
	s.mu.Lock()
	s.rate, s.pool = rate, append([]Fault(nil), faults...)
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s.mu.Unlock()
}

// ClearFaults drops queued and random faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.queue, s.rate, s.pool = nil, 0, nil
	s.mu.Unlock()
}

func (s *Server) pickFault(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	applies := func(f Fault) bool {
		if f.Path == "" {
			return !s.noAuth[path]
		}
		return strings.HasPrefix(path, f.Path)
	}
	for i, f := range s.queue {
		if applies(f) {
			s.queue = append(s.queue[:i:i], s.queue[i+1:]...)
			return &f
		}
	}
	if s.rate > 0 && len(s.pool) > 0 && !s.noAuth[path] && s.rng.Float64() < s.rate {
		f := s.pool[s.rng.IntN(len(s.pool))]
		if applies(f) {
			return &f
		}
	}
	return nil
}

func (s *Server) record(r *http.Request, body []byte, f *Fault) {
	rec := Request{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, Fault: f}
	s.mu.Lock()
	s.log = append(s.log, rec)
	if len(s.log) > s.logLimit {
		s.log = append([]Request(nil), s.log[len(s.log)-s.logLimit/2:]...)
	}
	s.mu.Unlock()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	f := s.pickFault(r.URL.Path)
	s.record(r, body, f)
	if f != nil {
		switch f.Kind {
		case Drop:
			MarkExempt(w, "injected fault: dropped connection")
			hijackClose(w)
			return
		case Status:
			if f.Body != "" {
				MarkExempt(w, "injected fault: verbatim body")
			}
			s.writeStatusFault(w, r, f)
			return
		case Slow:
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				// The client gave up during the injected wait: nothing is
				// answered, so there is no answer to hold to a contract.
				MarkExempt(w, "injected fault: client gave up during a slow answer")
				return
			}
		case Truncate:
			MarkExempt(w, "injected fault: truncated body")
			rec := httptest.NewRecorder()
			s.serveAPI(rec, r)
			full := rec.Body.Bytes()
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(full)+1))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(full[:len(full)/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			hijackClose(w)
			return
		case Blank:
			MarkExempt(w, "injected fault: blank body")
			rec := httptest.NewRecorder()
			s.serveAPI(rec, r)
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(http.StatusOK)
			return
		case CutShort:
			MarkExempt(w, "injected fault: body cut short")
			rec := httptest.NewRecorder()
			s.serveAPI(rec, r)
			writeCutShort(w, rec)
			return
		case GzipBomb:
			MarkExempt(w, "injected fault: gzip bomb")
			writeGzipBomb(w, r, f.Size)
			return
		case Endless:
			MarkExempt(w, "injected fault: endless body")
			writeEndless(w, r)
			return
		}
	}
	s.serveAPI(w, r)
}

// writeCutShort writes rec's answer on the raw connection, framed by the
// connection's close (no Content-Length, no chunking), with half the body.
func writeCutShort(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	full := rec.Body.Bytes()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", rec.Code, http.StatusText(rec.Code))
	h := rec.Header().Clone()
	h.Del("Content-Length")
	h.Del("Transfer-Encoding")
	h.Set("Connection", "close")
	_ = h.Write(buf)
	_, _ = buf.WriteString("\r\n")
	_, _ = buf.Write(full[:len(full)/2])
	_ = buf.Flush()
}

// bombMember is one gzip member inflating to 1 MiB of spaces; a bomb is the
// member repeated (a gzip reader reads concatenated members as one stream).
var bombMember = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	_, _ = zw.Write(bytes.Repeat([]byte{' '}, 1<<20))
	_ = zw.Close()
	return b.Bytes()
})

func writeGzipBomb(w http.ResponseWriter, r *http.Request, size int64) {
	if size <= 0 {
		size = 1 << 30
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	m := bombMember()
	for n := int64(0); n < size; n += 1 << 20 {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(m); err != nil {
			return
		}
	}
}

func writeEndless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, `[`); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte(`{"id":1},`), 7000)
	for r.Context().Err() == nil {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if s.authFn != nil && !s.noAuth[r.URL.Path] && !s.authFn(r) {
		s.errorFn(w, r, http.StatusUnauthorized, "unauthorized", "invalid or missing credentials")
		return
	}
	s.handler.ServeHTTP(w, r)
}

func (s *Server) writeStatusFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	switch {
	case f.RetryAfterRaw != "":
		w.Header().Set("Retry-After", f.RetryAfterRaw)
	case f.RetryAfter > 0:
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	if f.Body != "" {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, f.Body)
		return
	}
	s.errorFn(w, r, status, "injected_fault", "injected fault: "+http.StatusText(status))
}

func hijackClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// WriteJSON writes v as a JSON answer with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// CheckBearer returns an Auth func accepting "Authorization: Bearer <token>".
func CheckBearer(valid func(token string) bool) func(*http.Request) bool {
	return CheckScheme("Bearer", valid)
}

// CheckScheme returns an Auth func accepting "Authorization: <scheme> <t>"
// (scheme compared case-insensitively) when valid(t).
func CheckScheme(scheme string, valid func(token string) bool) func(*http.Request) bool {
	return func(r *http.Request) bool {
		h := r.Header.Get("Authorization")
		s, t, ok := strings.Cut(h, " ")
		return ok && strings.EqualFold(s, scheme) && t != "" && valid(t)
	}
}

// Equal compares secrets in constant time.
func Equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// Segments splits the request's escaped path into unescaped segments, so an
// id holding "/" stays one segment. It returns nil if an escape is malformed.
func Segments(r *http.Request) []string {
	raw := strings.Trim(r.URL.EscapedPath(), "/")
	if raw == "" {
		return []string{}
	}
	parts := strings.Split(raw, "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil {
			return nil
		}
		parts[i] = u
	}
	return parts
}

// Match matches the request's path against a pattern of segments, where
// "{}" matches any one segment; it returns the matched wildcard values. The
// whole path must match: a base-path prefix is part of the pattern.
func Match(segs []string, pattern ...string) ([]string, bool) {
	if len(segs) != len(pattern) {
		return nil, false
	}
	var vals []string
	for i, p := range pattern {
		if p == "{}" {
			vals = append(vals, segs[i])
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return vals, true
}
