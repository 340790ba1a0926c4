package analytics

import (
	"encoding/json"

	"github.com/activitysdk/activity-go/internal/core"
)

// APIError is a non-2xx answer from the analytics API. The shared fields
// (StatusCode, Code, Message, RequestID, RetryAfter, Attempts, Body) come
// from the embedded ErrorInfo; Details holds the envelope's "details" object.
//
// The API answers {"error": {"code": "...", "message": "...", "details": {...}}}.
type APIError struct {
	ErrorInfo
	// Details is the error's "details" object as sent, nil when absent.
	Details json.RawMessage
}

// newAPIError decodes the error envelope; a body that is not the envelope
// (a gateway's HTML page, say) leaves Code empty and uses its text.
func newAPIError(info core.ErrorInfo, redact func(string) string) error {
	e := &APIError{ErrorInfo: ErrorInfo(info)}
	var env struct {
		Error *struct {
			Code    string          `json:"code"`
			Message string          `json:"message"`
			Details json.RawMessage `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(info.Body, &env) == nil && env.Error != nil {
		e.Code, e.Message = env.Error.Code, env.Error.Message
		if len(env.Error.Details) > 0 && string(env.Error.Details) != "null" {
			e.Details = core.RedactJSON(env.Error.Details, redact)
		}
		return e
	}
	e.Message = core.BodySnippet(info.Body, info.Header.Get("Content-Type"))
	return e
}
