package close

import (
	"bytes"
	"cmp"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// APIError is a non-2xx answer from the Close API. The shared fields
// (StatusCode, Code, Message, RequestID, RetryAfter, Attempts, Body, Header)
// come from the embedded ErrorInfo; the rest are parsed from Close's shapes:
//
//	{"error": "message"}                                   most errors
//	{"error": {"message": "...", "rate_reset": 1.75, ...}} 429 (and others)
//	{"errors": [...], "field-errors": {"field": "message" | {...}}}  400
//
// Message is the "error" text (or its object's message), else the "errors"
// list joined with "; ", else a summary of the field errors. A body in none of
// these shapes (a gateway's HTML page) gives its title or first line.
type APIError struct {
	ErrorInfo
	// Errors is the "errors" list, each item as text (a string item as is,
	// an object's "message" or else its JSON).
	Errors []string
	// FieldErrors is the "field-errors" object: wire field name to message.
	// Nested objects are flattened with dotted names
	// ("datetime_range.start", "query.saved_search_id"), an object with a
	// "message" string counts as that message, and lists of messages are
	// joined with "; ".
	FieldErrors map[string]string
	// RateReset is the body's error.rate_reset (seconds until the rate
	// window resets), zero when absent.
	RateReset time.Duration
	// RateLimit is the answer's RateLimit header, nil when absent.
	RateLimit *RateLimit
}

// newAPIError decodes Close's error shapes; redact removes credentials from
// the decoded errors and field errors (the core redacts Code and Message).
func newAPIError(info core.ErrorInfo, redact func(string) string) error {
	e := &APIError{ErrorInfo: ErrorInfo(info)}
	if rl, ok := rateLimitFromHeader(info.Header); ok {
		e.RateLimit = &rl
	}
	if d, ok := bodyRateReset(info.Body); ok {
		e.RateReset = d
	}
	var env struct {
		Error       json.RawMessage            `json:"error"`
		Errors      []json.RawMessage          `json:"errors"`
		FieldErrors map[string]json.RawMessage `json:"field-errors"`
	}
	trimmed := bytes.TrimSpace(info.Body)
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &env) != nil ||
		(env.Error == nil && env.Errors == nil && env.FieldErrors == nil) {
		e.Message = core.BodySnippet(info.Body, info.Header.Get("Content-Type"))
		return e
	}
	for _, raw := range env.Errors {
		if s := messageOf(raw); s != "" {
			e.Errors = append(e.Errors, redact(s))
		}
	}
	if len(env.FieldErrors) > 0 {
		e.FieldErrors = map[string]string{}
		for k, raw := range env.FieldErrors {
			flattenFieldError(e.FieldErrors, k, raw)
		}
		fields := make(map[string]string, len(e.FieldErrors))
		for k, m := range e.FieldErrors {
			fields[redact(k)] = redact(m)
		}
		e.FieldErrors = fields
	}
	switch {
	case len(env.Error) > 0 && env.Error[0] == '{':
		var obj struct {
			Message     string `json:"message"`
			Description string `json:"description"`
			Code        any    `json:"code"`
			Type        string `json:"type"`
		}
		_ = json.Unmarshal(env.Error, &obj)
		e.Message = cmp.Or(obj.Message, obj.Description)
		switch c := obj.Code.(type) {
		case string:
			e.Code = c
		case float64:
			e.Code = strings.TrimSpace(string(jsonNumber(c)))
		}
		if e.Code == "" {
			e.Code = obj.Type
		}
	case len(env.Error) > 0:
		e.Message = messageOf(env.Error)
	}
	if e.Message == "" && len(e.Errors) > 0 {
		e.Message = strings.Join(e.Errors, "; ")
	}
	if e.Message == "" && len(e.FieldErrors) > 0 {
		keys := make([]string, 0, len(e.FieldErrors))
		for k := range e.FieldErrors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + e.FieldErrors[k]
		}
		e.Message = strings.Join(parts, "; ")
	}
	return e
}

// messageOf turns one JSON value into text: a string as is, an object's
// message (or error, or description, or detail), a list as its items' texts
// joined with "; ", null as "", anything else as its JSON.
var messageOf = core.MessageRule{Keys: []string{"message", "error", "description", "detail"}, Nested: true}.Text

// flattenFieldError stores raw under name; an object's members are stored
// under "name.member" (recursively), except that an object with a string
// "message" is that message.
func flattenFieldError(out map[string]string, name string, raw json.RawMessage) {
	raw = bytes.TrimSpace(raw)
	var obj map[string]json.RawMessage
	if len(raw) > 0 && raw[0] == '{' && json.Unmarshal(raw, &obj) == nil && len(obj) > 0 {
		var msg string
		if json.Unmarshal(obj["message"], &msg) == nil && msg != "" {
			out[name] = msg
			return
		}
		for k, v := range obj {
			flattenFieldError(out, name+"."+k, v)
		}
		return
	}
	if m := messageOf(raw); m != "" {
		out[name] = m
	}
}

func jsonNumber(f float64) []byte {
	b, _ := json.Marshal(f)
	return b
}
