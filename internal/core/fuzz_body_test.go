package core

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"sync"
	"testing"
)

// How FuzzBodyPath's server frames a body.
const (
	frameLength    = iota // Content-Length, the whole body
	frameChunked          // chunked, in two flushes
	frameGzip             // Content-Encoding: gzip (inflated by the transport)
	frameCloseCut         // no length: body[:cut], then the connection closes
	frameLengthCut        // Content-Length of the whole body, body[:cut], close
	frames
)

// bodyServer serves the body registered under the request's "id".
type bodyServer struct {
	mu     sync.Mutex
	bodies map[string]bodyAnswer
}

type bodyAnswer struct {
	body  []byte
	frame int
	cut   int
}

func (s *bodyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.bodies[r.URL.Query().Get("id")]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch a.frame {
	case frameLength:
		w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
		_, _ = w.Write(a.body)
	case frameChunked:
		half := len(a.body) / 2
		_, _ = w.Write(a.body[:half])
		w.(http.Flusher).Flush()
		_, _ = w.Write(a.body[half:])
	case frameGzip:
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = zw.Write(a.body)
		_ = zw.Close()
	case frameCloseCut, frameLengthCut:
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n")
		if a.frame == frameLengthCut {
			fmt.Fprintf(buf, "Content-Length: %d\r\n", len(a.body))
		}
		_, _ = buf.WriteString("\r\n")
		_, _ = buf.Write(a.body[:a.cut])
		_ = buf.Flush()
	}
}

// FuzzBodyPath drives the 2xx body path (the body cap, framing, gzip,
// truncation, JSON checks) with any body, framing, cut and cap, and checks
// DoJSON's answer against what the server sent: a decoded value equal to the
// body's, ErrBodyTooLarge past the cap, ErrTruncated for a cut, blank or
// early-ending body, and a decoding error for the rest. Never a silent
// success on a body that was not whole and valid.
func FuzzBodyPath(f *testing.F) {
	for _, seed := range []struct {
		body       string
		frame      int
		cut, limit uint16
	}{
		{`{"a":[1,2,3]}`, frameLength, 0, 100},
		{`{"a":[1,2,3]}`, frameChunked, 0, 5},
		{`{"a":"` + string(bytes.Repeat([]byte("x"), 300)) + `"}`, frameGzip, 0, 100},
		{`{"a":[1,2,3]}`, frameCloseCut, 7, 100},
		{`{"a":[1,2,3]}`, frameLengthCut, 7, 100},
		{`  `, frameLength, 0, 100},
		{``, frameChunked, 0, 100},
		{`[1,2] x`, frameLength, 0, 100},
		{`123`, frameCloseCut, 2, 100},
	} {
		f.Add([]byte(seed.body), seed.frame, seed.cut, seed.limit)
	}
	srv := &bodyServer{bodies: map[string]bodyAnswer{}}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	var next int
	f.Fuzz(func(t *testing.T, body []byte, frame int, cut, limit uint16) {
		if frame < 0 {
			frame = -frame
		}
		frame %= frames
		a := bodyAnswer{body: body, frame: frame, cut: int(cut) % (len(body) + 1)}
		max := int64(limit%4096) + 1
		next++
		id := strconv.Itoa(next)
		srv.mu.Lock()
		srv.bodies[id] = a
		srv.mu.Unlock()
		defer func() { srv.mu.Lock(); delete(srv.bodies, id); srv.mu.Unlock() }()

		c, err := New(Config{Provider: "fuzz", DefaultBaseURL: hs.URL, Settings: Settings{
			Retry: NoRetries, MaxBodyBytes: max, HTTPClient: &http.Client{Transport: tr}}})
		if err != nil {
			t.Fatal(err)
		}
		var got any
		_, err = c.DoJSON(context.Background(), &Request{Path: "/b", Query: map[string][]string{"id": {id}}}, &got)

		delivered := body
		if frame == frameCloseCut || frame == frameLengthCut {
			delivered = body[:a.cut]
		}
		var want any
		wantErr := json.Unmarshal(delivered, &want)
		switch {
		case int64(len(body)) > max && frame != frameCloseCut, int64(len(delivered)) > max:
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("frame %d, %d bytes (%d delivered) over a cap of %d: err = %v", frame, len(body), len(delivered), max, err)
			}
		case frame == frameLengthCut && a.cut < len(body),
			len(bytes.TrimSpace(delivered)) == 0,
			wantErr != nil && jsonEndsEarly(wantErr):
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("frame %d, body %q (delivered %q): err = %v, want ErrTruncated", frame, body, delivered, err)
			}
		case wantErr != nil:
			var re *RequestError
			if !errors.As(err, &re) || errors.Is(err, ErrTruncated) || errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("frame %d, malformed body %q: err = %v, want a decoding *RequestError", frame, delivered, err)
			}
		default:
			if err != nil {
				t.Fatalf("frame %d, body %q: %v", frame, delivered, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("decoded %#v, want %#v", got, want)
			}
		}
		if err != nil && !oneLineOK(err.Error()) {
			t.Fatalf("error text is not one line: %q", err)
		}
	})
}

// FuzzRedactJSONStrings: after the byte-wise pass, an error body that was
// valid JSON stays valid, no decoded string or key of it keeps the
// credential, and a body without escapes is returned as it came.
func FuzzRedactJSONStrings(f *testing.F) {
	for _, s := range []string{`{"m":"key ab\/cd"}`, `["\u0061b/cd", 1.50]`, `{"ab\/cd":{"x":"ab\/cd"}}`,
		`{"m":"ab\/cd`, `"\ud800ab\/cd"`, `plain ab/cd text`, `{"m":"\"ab\/cd\""}`} {
		f.Add([]byte(s))
	}
	const secret = "ab/cd"
	redact := func(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(secret), []byte("REDACTED"))) }
	f.Fuzz(func(t *testing.T, body []byte) {
		// As apiError does: the byte-wise pass first, then the literals.
		body = bytes.ReplaceAll(body, []byte(secret), []byte("REDACTED"))
		out := redactJSONStrings(body, redact)
		if !bytes.Contains(body, []byte(`\`)) && !bytes.Equal(out, body) {
			t.Fatalf("a body without escapes changed: %q -> %q", body, out)
		}
		if !json.Valid(body) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("valid JSON %q became invalid %q", body, out)
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				if bytes.Contains([]byte(x), []byte(secret)) {
					t.Fatalf("decoded string %q of %q keeps the credential", x, out)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for k, e := range x {
					walk(k)
					walk(e)
				}
			}
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	})
}
