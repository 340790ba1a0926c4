package sdelements

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/activitysdk/activity-go/internal/core"
)

// APIError is a non-2xx answer from the instance. The shared fields
// (StatusCode, Code, Message, RequestID, RetryAfter, Attempts, Body) come
// from the embedded ErrorInfo; the rest are the Django REST Framework error
// body, parsed:
//
//	{"detail": "Invalid token."}                       -> Detail
//	{"date_from": ["Enter a valid date/time."]}        -> FieldErrors
//	{"non_field_errors": ["..."]} or ["..."]           -> NonFieldErrors
//
// Message is always readable and hides nothing the body says: the detail,
// the non-field errors and the "field: problem" pairs (sorted by field), in
// that order, joined with "; " (a 400 naming a bad filter next to a general
// message shows both); else the <title> of an HTML error page (some
// instances answer authentication failures with HTML) or the first line of a
// text body. Code is the DRF error code when the body
// carries one ({"detail": ..., "code": ...}), else empty.
type APIError struct {
	ErrorInfo
	// Detail is the body's "detail" message, "" when absent.
	Detail string
	// FieldErrors maps a query parameter or field name (wire name, e.g.
	// "date_from") to its messages; nil when absent.
	FieldErrors map[string][]string
	// NonFieldErrors holds "non_field_errors" (or a top-level list of
	// messages); nil when absent.
	NonFieldErrors []string
}

// newAPIError decodes a DRF error body; anything else (an HTML page, a
// proxy's text) leaves the parsed fields empty and uses a snippet of it.
func newAPIError(info core.ErrorInfo, redact func(string) string) error {
	e := &APIError{ErrorInfo: ErrorInfo(info)}
	body := bytes.TrimSpace(info.Body)
	switch {
	case len(body) > 0 && body[0] == '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil {
			e.fromObject(obj)
		}
	case len(body) > 0 && body[0] == '[':
		var list json.RawMessage = body
		e.NonFieldErrors = messages(list)
	}
	e.redact(redact)
	var parts []string
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	parts = append(parts, e.NonFieldErrors...)
	keys := make([]string, 0, len(e.FieldErrors))
	for k := range e.FieldErrors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(e.FieldErrors[k], " "))
	}
	if len(parts) > 0 {
		e.Message = strings.Join(parts, "; ")
	} else {
		e.Message = core.BodySnippet(info.Body, info.Header.Get("Content-Type"))
	}
	return e
}

// redact removes credentials from the decoded detail and messages: one the
// server wrote with JSON escapes is only readable once decoded (the core
// redacts Code and Message itself).
func (e *APIError) redact(redact func(string) string) {
	e.Detail = redact(e.Detail)
	for i := range e.NonFieldErrors {
		e.NonFieldErrors[i] = redact(e.NonFieldErrors[i])
	}
	if e.FieldErrors != nil {
		fields := make(map[string][]string, len(e.FieldErrors))
		for k, msgs := range e.FieldErrors {
			for i := range msgs {
				msgs[i] = redact(msgs[i])
			}
			fields[redact(k)] = msgs
		}
		e.FieldErrors = fields
	}
}

func (e *APIError) fromObject(obj map[string]json.RawMessage) {
	for k, v := range obj {
		switch k {
		case "detail":
			if d := messages(v); len(d) > 0 {
				e.Detail = strings.Join(d, "; ")
			}
		case "code":
			var s string
			if json.Unmarshal(v, &s) == nil {
				e.Code = s
			}
		case "non_field_errors":
			e.NonFieldErrors = messages(v)
		default:
			if m := messages(v); len(m) > 0 {
				if e.FieldErrors == nil {
					e.FieldErrors = map[string][]string{}
				}
				e.FieldErrors[k] = m
			}
		}
	}
}

// messages reads a DRF message value: a string, a list of strings, or
// anything else as compact JSON text.
func messages(v json.RawMessage) []string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var list []json.RawMessage
	if json.Unmarshal(v, &list) == nil {
		var out []string
		for _, item := range list {
			out = append(out, messages(item)...)
		}
		return out
	}
	if !json.Valid(v) || string(bytes.TrimSpace(v)) == "null" {
		return nil
	}
	return []string{core.JSONText(v)}
}
