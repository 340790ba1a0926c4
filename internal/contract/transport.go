package contract

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Transport wraps base (nil: http.DefaultTransport) from the client side:
// every request sent through it and every answer it receives is validated,
// and one that does not validate fails t (t.Errorf) with the validator's
// message, the method and the path. Answers are read whole before the caller
// sees them (so a slow body arrives at once); an answer whose body cannot be
// read whole (a dropped or truncated connection) is passed on with its read
// error and not validated, and so is one with a status the operation does not
// describe. The request the caller passed is not modified.
func (d *Doc) Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{d: d, t: t, base: base}
}

type transport struct {
	d    *Doc
	t    testing.TB
	base http.RoundTripper
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		out = req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(b))
	}
	expect, expecting := req.Header[ExpectViolation]
	if expecting {
		if out == req {
			out = req.Clone(req.Context())
		}
		out.Header.Del(ExpectViolation)
	}
	msgs := tr.d.CheckRequest(out, body)
	tr.d.requests.Add(1)
	tr.d.reportRequest(tr.t, out, msgs, expecting, strings.Join(expect, ""))

	resp, err := tr.base.RoundTrip(out)
	if err != nil {
		return resp, err
	}
	orig := resp.Body
	b, rerr := io.ReadAll(io.LimitReader(orig, maxBody+1))
	switch {
	case rerr != nil:
		tr.d.exempt.Add(1)
		orig.Close()
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{rerr}))
	case len(b) > maxBody:
		// Too large to validate: pass it on whole, unchecked.
		tr.d.exempt.Add(1)
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), orig), orig}
	default:
		orig.Close()
		tr.d.reportAnswer(tr.t, out, resp.StatusCode, resp.Header, b)
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}
