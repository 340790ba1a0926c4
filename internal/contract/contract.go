// Package contract holds the SDK and its fakes to one machine-readable
// description of each provider: an OpenAPI document (3.0 or 3.1) kept in the
// provider package's testdata. It is imported by tests only.
//
// A Doc validates, with github.com/pb33f/libopenapi-validator:
//
//   - every request: path and method (an operation of the document), path and
//     query parameters (undeclared query parameters are refused: strict mode),
//     declared headers, the security scheme where the validator checks it
//     (apiKey and http schemes; OAuth2 schemes are not checked), and the body;
//   - every answer: its status must be one the operation describes (or the
//     operation has a default), and its body must match that answer's schema
//     (undeclared properties are refused: strict mode). Formats (date-time,
//     uuid) are annotations, not assertions, as JSON Schema 2020-12 has them
//     by default: ActivTrak's document declares date-time for parameters
//     whose prose asks for YYYY-MM-DD.
//
// Three ways in:
//
//   - Main, from a package's TestMain: every fake that the test binary starts
//     (through internal/fakeserver) serves through a checker for the document
//     its Config.Contract names. Bind attributes a fake's violations to a test;
//     unattributed violations are printed at the end and fail the run.
//   - Doc.Handler wraps one handler, reporting to one test.
//   - Doc.Transport checks from the client side.
//
// # What is not checked, and why
//
// Faults a test injects on purpose are not the provider's contract:
//
//   - An answer the fake marks exempt (fakeserver.MarkExempt: dropped
//     connections, truncated bodies, fault bodies a test gives verbatim) is
//     not validated; a handler that hijacks the connection is treated alike.
//   - An answer whose status the operation does not describe (ActivTrak's
//     401, which its document leaves out; an injected 502 or 504 where the
//     document lists 500 and 503) is not validated: the document says nothing
//     about it. Such answers are counted (Stats.Undocumented) so that a fake
//     answering only errors cannot pass unnoticed.
//   - An injected 429, 500 or 503 in the provider's own error shape is an
//     ordinary answer: where the document describes that status, its body is
//     validated like any other.
//   - A request a test sends off-contract on purpose (to show that a fake
//     refuses it) carries the header ExpectViolation: the harness removes the
//     header, checks that the request indeed does NOT validate (and fails the
//     test if it does), and does not report the violation.
//
// The SDK never sends ExpectViolation, so every request it sends is held to
// the document.
package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/paths"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// ExpectViolation is the request header with which a test says that its
// request breaks the contract on purpose; see the package documentation.
// Its value, when not empty, must occur in the validator's message.
const ExpectViolation = "X-Contract-Expect-Violation"

// maxBody caps the bytes of one request or answer body kept for validation;
// a larger answer is passed on whole but not validated (Stats.Exempt).
const maxBody = 64 << 20

// Doc is one provider's OpenAPI document, ready to validate requests and
// answers. It is safe for concurrent use.
type Doc struct {
	path  string
	model *v3.Document
	v     validator.Validator
	mu    sync.Mutex // the validator's caches are not documented as concurrency-safe

	requests, answers, exempt, undocumented atomic.Int64
}

// Stats are a Doc's counts.
type Stats struct {
	Requests     int // requests validated
	Answers      int // answers validated
	Exempt       int // answers not validated: marked faults, hijacked, too large
	Undocumented int // answers not validated: status not described by the operation
}

// Parse reads and builds the OpenAPI document at path. It fails when the file
// does not parse, does not build into an OpenAPI 3 model, or does not
// validate against the OpenAPI specification's own schema.
func Parse(path string, opts ...Option) (*Doc, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	doc, err := libopenapi.NewDocument(b)
	if err != nil {
		return nil, fmt.Errorf("contract: %s: %w", path, err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("contract: %s: %w", path, err)
	}
	// Headers outside the document (X-Version, Retry-After, rate-limit
	// headers, X-Request-Id) are not the subject of these tests; query names
	// and body properties are.
	ignore := []string{"$.headers.**"}
	for _, name := range o.freeForm {
		ignore = append(ignore, "$.body.**."+name+".**", "$.body.**."+name+"[*].**",
			"$.body."+name+".**", "$.body."+name+"[*].**")
	}
	v, errs := validator.NewValidator(doc, config.WithStrictMode(), config.WithStrictIgnorePaths(ignore...))
	if len(errs) > 0 {
		return nil, fmt.Errorf("contract: %s: %v", path, errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		return nil, fmt.Errorf("contract: %s is not a valid OpenAPI document: %s", path, describe(verrs))
	}
	return &Doc{path: path, model: &m.Model, v: v}, nil
}

// Load is Parse for a test: a document that does not load fails the test at
// once (t.Fatalf).
func Load(t testing.TB, path string, opts ...Option) *Doc {
	t.Helper()
	d, err := Parse(path, opts...)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return d
}

// Option adjusts how a document is applied.
type Option func(*options)

type options struct {
	freeForm []string
}

// FreeForm names body properties whose values are free-form JSON objects
// (declared as "type: object" without properties, such as Workiva's
// attachments): strict mode would refuse every key inside them, so their
// contents are not checked for undeclared properties. Everything else stays
// strict.
func FreeForm(properties ...string) Option {
	return func(o *options) { o.freeForm = append(o.freeForm, properties...) }
}

// Counts returns how many requests and answers this Doc validated so far.
func (d *Doc) Counts() (requests, answers int) {
	return int(d.requests.Load()), int(d.answers.Load())
}

// Stats returns all of this Doc's counts.
func (d *Doc) Stats() Stats {
	return Stats{Requests: int(d.requests.Load()), Answers: int(d.answers.Load()),
		Exempt: int(d.exempt.Load()), Undocumented: int(d.undocumented.Load())}
}

// Path returns the file the Doc was read from.
func (d *Doc) Path() string { return d.path }

// CheckRequest validates one request, whose body is body (r.Body is not
// read). It returns the validator's messages, none when it validates. It
// does not count.
func (d *Doc) CheckRequest(r *http.Request, body []byte) []string {
	req := r.Clone(r.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Del(ExpectViolation)
	d.mu.Lock()
	ok, errs := d.v.ValidateHttpRequestSync(req)
	d.mu.Unlock()
	if ok {
		return nil
	}
	return messages(errs)
}

// outcome of checking an answer.
type outcome int

const (
	checked outcome = iota
	undocumented
)

// checkAnswer validates one answer to r. It reports whether the answer was
// held to the document (an undocumented status is not) and the validator's
// messages.
func (d *Doc) checkAnswer(r *http.Request, status int, header http.Header, body []byte) (outcome, []string) {
	if !d.describes(r, status) {
		return undocumented, nil
	}
	req := r.Clone(r.Context())
	req.Body = http.NoBody
	req.Header.Del(ExpectViolation)
	resp := &http.Response{StatusCode: status, Header: header.Clone(), Request: req,
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	d.mu.Lock()
	ok, errs := d.v.ValidateHttpResponse(req, resp)
	d.mu.Unlock()
	if ok {
		return checked, nil
	}
	return checked, messages(errs)
}

// describes reports whether the operation r reaches describes answers with
// status (or has a default answer). A request that reaches no operation has
// no described answers.
func (d *Doc) describes(r *http.Request, status int) bool {
	d.mu.Lock()
	item, _, _ := paths.FindPath(r, d.model, config.NewValidationOptions())
	d.mu.Unlock()
	if item == nil {
		return false
	}
	op := item.GetOperations().GetOrZero(strings.ToLower(r.Method))
	if op == nil || op.Responses == nil {
		return false
	}
	if op.Responses.Default != nil {
		return true
	}
	if op.Responses.Codes == nil {
		return false
	}
	if _, ok := op.Responses.Codes.Get(strconv.Itoa(status)); ok {
		return true
	}
	// OpenAPI's range keys: "4XX", "5XX".
	_, ok := op.Responses.Codes.Get(strconv.Itoa(status/100) + "XX")
	return ok
}

// messages flattens the validator's errors into one line each.
func messages(errs []*verrors.ValidationError) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		var b strings.Builder
		b.WriteString(e.Message)
		if e.Reason != "" && e.Reason != e.Message {
			b.WriteString(": ")
			b.WriteString(e.Reason)
		}
		for _, f := range e.SchemaValidationErrors {
			b.WriteString("; ")
			b.WriteString(f.Reason)
			if f.FieldPath != "" {
				b.WriteString(" at ")
				b.WriteString(f.FieldPath)
			}
		}
		out = append(out, b.String())
	}
	sort.Strings(out)
	return out
}

func describe(errs []*verrors.ValidationError) string { return strings.Join(messages(errs), " | ") }

// reporter receives violations.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}
