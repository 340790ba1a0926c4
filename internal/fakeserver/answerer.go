package fakeserver

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode/utf16"
)

// Answerer is an in-memory http.RoundTripper for decoder and fuzz tests: no
// socket, no server. It answers the first request after Set with the set
// answer (every request when Set's always is true), and later ones with a
// 200 JSON answer whose body is Then (a provider's empty last page). It
// records the hosts asked and refuses any host but Host, so a test can show
// that a decoded next link never leads elsewhere.
type Answerer struct {
	// Host is the only host answered ("127.0.0.1:9"); "" answers any host.
	Host string
	// Then is the body answered after the first request; nil repeats the
	// set answer.
	Then []byte

	mu     sync.Mutex
	status int
	header http.Header
	body   []byte
	always bool
	n      int
	hosts  []string
}

// Set sets the answer and forgets the requests seen so far.
func (a *Answerer) Set(status int, header http.Header, body []byte, always bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.status, a.header, a.body, a.always, a.n, a.hosts = status, header, body, always, 0, nil
}

// Hosts returns the hosts of the requests seen since Set, in order.
func (a *Answerer) Hosts() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.hosts...)
}

// RoundTrip implements http.RoundTripper.
func (a *Answerer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.hosts = append(a.hosts, req.URL.Host)
	if a.Host != "" && req.URL.Host != a.Host {
		return nil, fmt.Errorf("request to foreign host %q", req.URL.Host)
	}
	status, header, body := a.status, a.header.Clone(), a.body
	if a.n > 0 && !a.always && a.Then != nil {
		status, header, body = http.StatusOK, http.Header{"Content-Type": {"application/json"}}, a.Then
	}
	a.n++
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

// JSONEscapeAll quotes s as a JSON string in which every character is a
// \uXXXX escape (UTF-16, as JSON has it): text whose raw bytes hold nothing
// of s, for tests of redaction after decoding.
func JSONEscapeAll(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, `\u%04x`, u)
	}
	b.WriteByte('"')
	return b.String()
}
