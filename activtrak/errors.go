package activtrak

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/activitysdk/activity-go/internal/core"
)

// APIError is a non-2xx answer from the ActivTrak API. The shared fields
// (StatusCode, Code, Message, RequestID, RetryAfter, Attempts, Body) come
// from the embedded ErrorInfo; errors.Is works with ErrUnauthorized,
// ErrForbidden, ErrNotFound and ErrRateLimited.
//
// ActivTrak documents 400 and 500 answers without a body shape. The shape
// seen in practice is {"messages": ["..."], "success": false}: Messages holds
// those texts and Message joins them with "; ". A {"message": "..."} or
// {"error": "..."} body, or an ASP.NET problem document ({"title": ...,
// "errors": {...}}), fills Message too; any other body (a gateway's HTML
// page, say) gives Message a short snippet of it. Code is the body's "code"
// when it has one.
type APIError struct {
	ErrorInfo
	// Messages are the texts of the body's "messages" array, in order (an
	// object element contributes its "message" field, else its JSON text).
	Messages []string
}

// newAPIError decodes the error body; redact removes credentials from the
// decoded messages (the core redacts Code and Message).
func newAPIError(info core.ErrorInfo, redact func(string) string) error {
	e := &APIError{ErrorInfo: ErrorInfo(info)}
	var env struct {
		Messages []json.RawMessage   `json:"messages"`
		Message  string              `json:"message"`
		Error    json.RawMessage     `json:"error"`
		Code     json.RawMessage     `json:"code"`
		Title    string              `json:"title"`
		Errors   map[string][]string `json:"errors"`
	}
	if json.Unmarshal(info.Body, &env) != nil {
		e.Message = core.BodySnippet(info.Body, info.Header.Get("Content-Type"))
		return e
	}
	for _, m := range env.Messages {
		if t := messageText(m); t != "" {
			e.Messages = append(e.Messages, redact(t))
		}
	}
	e.Code = scalarText(env.Code)
	switch {
	case len(e.Messages) > 0:
		e.Message = strings.Join(e.Messages, "; ")
	case env.Message != "":
		e.Message = env.Message
	case messageText(env.Error) != "":
		e.Message = messageText(env.Error)
	case env.Title != "":
		e.Message = env.Title
		fields := make([]string, 0, len(env.Errors))
		for f := range env.Errors {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		for _, f := range fields {
			e.Message += "; " + f + ": " + strings.Join(env.Errors[f], ", ")
		}
	default:
		e.Message = core.BodySnippet(info.Body, info.Header.Get("Content-Type"))
	}
	return e
}

// messageText is the text of one message: a JSON string as is, an object's
// "message" string (matched as encoding/json matches fields, so "Message"
// too), else the compact JSON text; "" for null.
var messageText = core.MessageRule{Keys: []string{"message"}, FoldCase: true}.Text

// scalarText renders a JSON string or number as text; "" otherwise.
func scalarText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
