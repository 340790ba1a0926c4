package workiva

import (
	"encoding/json"

	"github.com/activitysdk/activity-go/internal/core"
)

// APIError is a non-2xx answer from the Workiva API. The shared fields
// (StatusCode, Code, Message, RequestID, RetryAfter, Attempts, Body) come from
// the embedded ErrorInfo; the rest from Workiva's ErrorResponse body:
//
//	{"code": "BadArgument", "message": "...", "target": "$orderBy",
//	 "details": [{"code": "InvalidOrder", "message": "...", "target": "name"}],
//	 "documentationUrl": "https://developers.workiva.com", "version": "2026-01-01"}
//
// The same fields nested under "error" ({"error": {"code": ..., "message":
// ...}}, which other Workiva services answer) are read alike, and so is the
// IAM shape {"error": "...", "error_description": "..."}.
// A body in another shape (a gateway's HTML page) leaves Code empty and puts
// a short snippet of it in Message. errors.Is(err, ErrNotFound) and the other
// sentinels match by status.
type APIError struct {
	ErrorInfo
	// Target is what the error is about (a parameter such as "$orderBy"),
	// from the "target" field.
	Target string
	// Details are the "details" entries, nil when absent.
	Details []ErrorDetail
	// DocumentationURL is the "documentationUrl" field.
	DocumentationURL string
	// Version is the API version the server used ("version" field).
	Version string
}

// ErrorDetail is one entry of an ErrorResponse's "details".
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target"`
}

// errorResponse is the error body: the ErrorResponse fields flat, or nested
// under "error" ({"error": {"code", "message", ...}}), or the IAM shape
// {"error": "...", "error_description": "..."} that some gateway answers use.
// "error" is decoded by hand (see newAPIError).
type errorResponse struct {
	errorFields
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

// errorFields are the ErrorResponse fields, flat or nested under "error".
type errorFields struct {
	Code             string        `json:"code"`
	Message          string        `json:"message"`
	Target           string        `json:"target"`
	Details          []ErrorDetail `json:"details"`
	DocumentationURL string        `json:"documentationUrl"`
	Version          string        `json:"version"`
}

// newAPIError decodes Workiva's ErrorResponse (or, failing that, the IAM error
// shape) from the body. redact removes credentials from every decoded text it
// keeps: one the server echoed with JSON escapes is only readable once
// decoded (the core does the same for code and message).
func newAPIError(info core.ErrorInfo, redact func(string) string) error {
	e := &APIError{ErrorInfo: ErrorInfo(info)}
	var r errorResponse
	if json.Unmarshal(info.Body, &r) == nil {
		f := r.errorFields
		var iam string
		if len(r.Error) > 0 && f.Code == "" && f.Message == "" {
			// {"error": {...}} (the nested shape) or {"error": "..."} (IAM).
			var nested errorFields
			if json.Unmarshal(r.Error, &nested) == nil {
				f = nested
			} else {
				_ = json.Unmarshal(r.Error, &iam)
			}
		}
		switch {
		case f.Code != "" || f.Message != "":
			e.Code, e.Message, e.Target = f.Code, f.Message, redact(f.Target)
			for i := range f.Details {
				d := &f.Details[i]
				d.Code, d.Message, d.Target = redact(d.Code), redact(d.Message), redact(d.Target)
			}
			e.Details, e.DocumentationURL, e.Version = f.Details, redact(f.DocumentationURL), redact(f.Version)
			return e
		case iam != "":
			e.Code, e.Message = iam, r.ErrorDescription
			return e
		}
	}
	e.Message = core.BodySnippet(info.Body, info.Header.Get("Content-Type"))
	return e
}

// Error returns one line: the request, status, code, message and target.
func (e *APIError) Error() string {
	s := e.ErrorInfo.Error()
	if t := core.OneLine(e.Target, 200); t != "" {
		s += " [target " + t + "]"
	}
	return s
}
