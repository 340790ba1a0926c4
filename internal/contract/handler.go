package contract

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// Handler wraps a fake's handler: every request it receives and every answer
// h writes is validated against the document, and one that does not validate
// fails t (t.Errorf) with the validator's message, the method and the path.
// See the package documentation for the answers that are not validated. The
// answer still reaches the client unchanged and as it is written (flushes and
// hijacks pass through). t must outlive the handler's requests: close the
// server before the test ends.
func (d *Doc) Handler(t testing.TB, h http.Handler) http.Handler {
	return d.handler(func(*http.Request) reporter { return t }, h)
}

func (d *Doc) handler(rep func(*http.Request) reporter, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			// The client went away mid-body: nothing to hold to the contract.
			d.exempt.Add(1)
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
			h.ServeHTTP(w, r)
			return
		}
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		expect, expecting := r.Header[ExpectViolation]
		r.Header.Del(ExpectViolation)
		msgs := d.CheckRequest(r, body)
		d.requests.Add(1)
		d.reportRequest(rep(r), r, msgs, expecting, strings.Join(expect, ""))

		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.exempt != "" || rec.hijacked || rec.overflow {
			d.exempt.Add(1)
			return
		}
		if rec.status == 0 {
			if r.Context().Err() != nil {
				// The client gave up before any answer (a slow fault).
				d.exempt.Add(1)
				return
			}
			rec.status, rec.header = http.StatusOK, w.Header().Clone()
		}
		d.reportAnswer(rep(r), r, rec.status, rec.header, rec.buf.Bytes())
	})
}

func (d *Doc) reportRequest(rep reporter, r *http.Request, msgs []string, expecting bool, want string) {
	rep.Helper()
	switch {
	case expecting && len(msgs) == 0:
		rep.Errorf("contract %s: %s %s: the test marked this request %s, but it validates", d.path, r.Method, r.URL.RequestURI(), ExpectViolation)
	case expecting && want != "" && !strings.Contains(strings.Join(msgs, "\n"), want):
		rep.Errorf("contract %s: %s %s: expected a violation mentioning %q, got: %s", d.path, r.Method, r.URL.RequestURI(), want, strings.Join(msgs, " | "))
	case !expecting && len(msgs) > 0:
		rep.Errorf("contract %s: %s %s: request does not validate: %s", d.path, r.Method, r.URL.RequestURI(), strings.Join(msgs, " | "))
	}
}

func (d *Doc) reportAnswer(rep reporter, r *http.Request, status int, header http.Header, body []byte) {
	rep.Helper()
	out, msgs := d.checkAnswer(r, status, header, body)
	if out == undocumented {
		d.undocumented.Add(1)
		return
	}
	d.answers.Add(1)
	if len(msgs) > 0 {
		rep.Errorf("contract %s: %s %s: answer %d does not validate: %s", d.path, r.Method, r.URL.RequestURI(), status, strings.Join(msgs, " | "))
	}
}

// recorder passes an answer through to the client and keeps a copy.
type recorder struct {
	http.ResponseWriter
	status   int
	header   http.Header
	buf      bytes.Buffer
	exempt   string
	hijacked bool
	overflow bool
}

// ExemptAnswer implements fakeserver.AnswerExempter.
func (r *recorder) ExemptAnswer(reason string) { r.exempt = reason }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 && status >= 200 {
		r.status, r.header = status, r.ResponseWriter.Header().Clone()
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status, r.header = http.StatusOK, r.ResponseWriter.Header().Clone()
	}
	if !r.overflow {
		if r.buf.Len()+len(p) > maxBody {
			r.overflow = true
			r.buf = bytes.Buffer{}
		} else {
			r.buf.Write(p)
		}
	}
	return r.ResponseWriter.Write(p)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.hijacked = true
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	return hj.Hijack()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
