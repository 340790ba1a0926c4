package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors shared by every provider package. errors.Is(err, ErrNotFound)
// works for every provider's *APIError.
var (
	ErrNotFound     = errors.New("activity-go: not found")
	ErrUnauthorized = errors.New("activity-go: unauthorized")
	ErrForbidden    = errors.New("activity-go: forbidden")
	ErrRateLimited  = errors.New("activity-go: rate limited")
)

// ErrBodyTooLarge is wrapped by the *RequestError returned when a successful
// answer's body (counted after decompression) passes the client's body cap
// (WithMaxBodyBytes). The body is not read further and the request is not
// retried: the same request would get the same answer.
var ErrBodyTooLarge = errors.New("answer body too large")

// ErrTruncated is wrapped by the *RequestError returned when the answers to a
// request were truncated on every attempt: a body that ended before its
// announced length (the connection dropped), a JSON body that ends in the
// middle of its value (a server that closed the connection early without a
// Content-Length), or an empty body where a JSON value is due (any 2xx but
// 204). Requests that are safe to repeat are retried first.
var ErrTruncated = errors.New("truncated answer")

// maxURLText is the most of a URL an Error() string shows; the URL field
// keeps it whole.
const maxURLText = 256

// MaxErrorBody is the most of an error body that is read and kept.
const MaxErrorBody = 1 << 20

// ErrorInfo holds what every provider's APIError carries: the answer's status,
// the provider's code and message, the request id and the retry hint. Provider
// packages embed it in their own APIError type and add their parsed fields.
type ErrorInfo struct {
	// Provider is the package that made the call ("workiva", "close", ...).
	Provider string
	// Method and URL describe the request. URL is sanitized: no user info and
	// no secret query values.
	Method string
	URL    string
	// StatusCode is the HTTP status of the last answer.
	StatusCode int
	// Code is the provider's machine-readable error code, when it sends one.
	Code string
	// Message is the provider's human-readable message, when it sends one.
	Message string
	// RequestID is the provider's request id header, when it sends one.
	RequestID string
	// RetryAfter is the wait the server asked for (Retry-After or a provider
	// hint), zero when it asked for none.
	RetryAfter time.Duration
	// Attempts is the number of attempts made, retries included.
	Attempts int
	// Body is the raw error body, at most MaxErrorBody bytes, with any known
	// credential redacted.
	Body []byte
	// Header holds the answer's headers (never the request's), a copy with
	// any credential the server echoed in a value redacted.
	Header http.Header
}

// Error returns one line: provider, request, status, code, message, request id,
// attempts and retry hint.
func (e *ErrorInfo) Error() string {
	var b strings.Builder
	b.WriteString(e.Provider)
	b.WriteString(": ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(OneLine(e.URL, maxURLText))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Code))
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Message))
	}
	var extra []string
	if e.RequestID != "" {
		extra = append(extra, "request id "+oneLine(e.RequestID))
	}
	if e.Attempts > 1 {
		extra = append(extra, fmt.Sprintf("%d attempts", e.Attempts))
	}
	if e.RetryAfter > 0 {
		extra = append(extra, "retry after "+e.RetryAfter.String())
	}
	if len(extra) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteByte(')')
	}
	return b.String()
}

// Is reports whether the status matches one of the shared sentinels.
func (e *ErrorInfo) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// As lets errors.As fill the ErrorInfo of a provider package.
func (e *ErrorInfo) As(target any) bool { return ConvertAs(e, target) }

// Temporary reports whether the same request may succeed later (429 and 5xx).
func (e *ErrorInfo) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// oneLine folds control characters so an Error() string stays on one line and
// caps its length.
func oneLine(s string) string { return OneLine(s, 512) }

// OneLine makes server text safe to show in an Error() string: newlines and
// tabs become spaces, other control characters become U+FFFD, and the text is
// cut after maxLen bytes (never inside a UTF-8 sequence) with "..." appended.
// Control characters are replaced rather than dropped so that dropping them
// can never join two harmless fragments into a credential after redaction.
func OneLine(s string, maxLen int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return utf8.RuneError
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if maxLen >= 0 && len(s) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// ValidationError reports a bad parameter, found before any request was sent.
type ValidationError struct {
	// Provider is the package name ("activtrak").
	Provider string
	// Params is the params struct or operation ("WorkingHoursParams").
	Params string
	// Field is the Go field name ("PageSize"); empty when the problem is the
	// whole struct.
	Field string
	// Problem says what is wrong and what to do.
	Problem string
}

// As lets errors.As fill the ValidationError of a provider package, which
// declares the same fields (see ConvertAs).
func (e *ValidationError) As(target any) bool { return ConvertAs(e, target) }

func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Provider != "" {
		b.WriteString(e.Provider)
		b.WriteString(": ")
	}
	b.WriteString(e.Params)
	if e.Field != "" {
		if e.Params != "" {
			b.WriteByte('.')
		}
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	return b.String()
}

// Invalid is shorthand for a *ValidationError.
func Invalid(provider, params, field, format string, args ...any) *ValidationError {
	return &ValidationError{Provider: provider, Params: params, Field: field, Problem: fmt.Sprintf(format, args...)}
}

// RequestError is returned when no usable HTTP answer could be had: connection
// errors, truncated bodies (ErrTruncated), bodies past the cap
// (ErrBodyTooLarge), undecodable bodies, refused redirects, token failures. It
// wraps the cause. Known credentials are redacted from its URL and from the
// text of Err.
type RequestError struct {
	Provider string
	Method   string
	// URL is the request's URL, sanitized (no user info, no secret query
	// values) and whole; Error() shows at most its first 256 bytes.
	URL      string
	Attempts int
	Err      error
}

func (e *RequestError) Error() string {
	s := fmt.Sprintf("%s: %s %s: %s", e.Provider, e.Method, OneLine(e.URL, maxURLText), oneLine(errorString(e.Err)))
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (%d attempts)", e.Attempts)
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

// As lets errors.As fill the RequestError of a provider package.
func (e *RequestError) As(target any) bool { return ConvertAs(e, target) }

// redactedError shows a cause's text with credentials removed, and unwraps
// to the cause so that errors.Is and errors.As still see it.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func errorString(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

// ErrCrossHostRedirect is returned (wrapped) when a server redirects to
// another host; the redirect is not followed.
var ErrCrossHostRedirect = errors.New("redirect to another host refused")

// ErrForeignLink is returned (wrapped) when a next-page link points to another
// host than the client's base URL; it is not requested.
var ErrForeignLink = errors.New("next-page link points to another host")

// BodySnippet returns a short readable text for an error body that is not in
// the provider's shape: the text of an HTML page's <title> or, for other
// content, the first line, at most 200 bytes.
func BodySnippet(body []byte, contentType string) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return ""
	}
	// ASCII-only lowering keeps byte offsets: strings.ToLower grows invalid
	// UTF-8 (a Latin-1 page) and some runes, and the offsets found in lower
	// slice s.
	lower := asciiLower(s)
	if strings.Contains(strings.ToLower(contentType), "html") || strings.HasPrefix(lower, "<!doctype") || strings.HasPrefix(lower, "<html") {
		if i := strings.Index(lower, "<title>"); i >= 0 {
			if j := strings.Index(lower[i:], "</title>"); j > 0 {
				return oneLine(s[i+len("<title>") : i+j])
			}
		}
		return "HTML error page"
	}
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return oneLine(s)
}

// asciiLower lowers A-Z only, so the result has the same length as s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// RedactJSON returns raw with redact applied to every string in it (object
// keys included). A credential the server wrote with JSON escapes is only
// visible once decoded, so the value is decoded, redacted and encoded again
// when (and only when) redaction changed something; otherwise raw is returned
// as is. Invalid JSON is returned as is: the caller's body was already
// redacted byte for byte.
func RedactJSON(raw json.RawMessage, redact func(string) string) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return raw
	}
	changed := false
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case string:
			if r := redact(x); r != x {
				changed = true
				return r
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, val := range x {
				if rk := redact(k); rk != k {
					changed = true
					k = rk
				}
				out[k] = walk(val)
			}
			return out
		}
		return v
	}
	v = walk(v)
	if !changed {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return out
}

// JSONText is the compact text of a JSON value for an error message: decoded
// and encoded again, so that characters the server wrote as escapes
// ("\u0061", "\/") appear as themselves and redaction can find a credential
// among them. Invalid JSON is returned as it came.
func JSONText(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return string(raw)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return string(raw)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// PageTokenError is the error for a PageToken that cannot be used: a
// *ValidationError (errors.As finds it) that also wraps cause, so that
// errors.Is(err, ErrForeignLink) holds for a link to another host. Every
// provider package reports a bad token with it.
func PageTokenError(ve *ValidationError, cause error) error {
	if cause == nil {
		return ve
	}
	return &pageTokenError{ve: ve, cause: cause}
}

type pageTokenError struct {
	ve    *ValidationError
	cause error
}

func (e *pageTokenError) Error() string   { return e.ve.Error() }
func (e *pageTokenError) Unwrap() []error { return []error{e.ve, e.cause} }

// redactJSONStrings finds the JSON string literals in b that hold escapes,
// decodes each, and replaces a literal whose decoded text redact changes with
// the redacted text, encoded again. Everything else is kept byte for byte, so
// a body that was valid JSON stays valid, and one that is not (cut at
// MaxErrorBody, or not JSON at all) is cleaned as far as its literals parse.
// Literals without a backslash are left alone: the byte-wise pass already saw
// them as they decode.
func redactJSONStrings(b []byte, redact func(string) string) []byte {
	var out []byte // nil until something changes
	last := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		end, escaped := -1, false
		for j := i + 1; j < len(b); j++ {
			if b[j] == '\\' {
				escaped = true
				j++
				continue
			}
			if b[j] == '"' {
				end = j
				break
			}
		}
		if end < 0 {
			break
		}
		if escaped {
			var s string
			if json.Unmarshal(b[i:end+1], &s) == nil {
				if r := redact(s); r != s {
					enc, err := json.Marshal(r)
					if err == nil {
						out = append(out, b[last:i]...)
						out = append(out, enc...)
						last = end + 1
					}
				}
			}
		}
		i = end
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
