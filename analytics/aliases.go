package analytics

import (
	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/paging"
)

// RetryPolicy says how often and how long requests are retried. The zero
// value means the defaults: 4 retries, full-jitter backoff between 500ms and
// 30s, and server-requested waits (Retry-After) up to 2 minutes honoured. In a
// non-zero policy MaxRetries is taken as given (0 turns retries off) and zero
// durations take their defaults.
type RetryPolicy = core.RetryPolicy

// NoRetries is a RetryPolicy that makes exactly one attempt per request.
var NoRetries = core.NoRetries

// ValidationError reports a bad parameter; it is returned before any request
// is sent. It is the same type in every activity-go package.
type ValidationError = core.ValidationError

// RequestError is returned when no answer could be had (connection errors,
// truncated bodies after the last retry, refused redirects). It wraps the
// cause and counts the attempts.
type RequestError = core.RequestError

// ErrorInfo holds the fields every provider's APIError shares.
type ErrorInfo = core.ErrorInfo

// Sentinel errors, the same values in every activity-go package:
// errors.Is(err, ErrNotFound) is true for a 404 *APIError.
var (
	ErrNotFound     = core.ErrNotFound
	ErrUnauthorized = core.ErrUnauthorized
	ErrForbidden    = core.ErrForbidden
	ErrRateLimited  = core.ErrRateLimited
)

// Pager walks a list lazily, page after page; see its All, Pages and Collect
// methods. No request is sent until it is ranged over.
type Pager[T any] = paging.Pager[T]

// Page is one page of a list. NextPageToken is opaque: store it to resume
// the walk later, even in another process.
type Page[T any] = paging.Page[T]

// ErrBodyTooLarge is wrapped by the *RequestError of a call whose successful
// answer passed the body cap (WithMaxBodyBytes, 32 MiB by default, counted
// after decompression). ErrTruncated is wrapped by the *RequestError of a call
// whose answers were cut short on every attempt: a body that ended before its
// announced length, a JSON body that ends in the middle of its value, or an
// empty body (but for a 204) where JSON is due. Both are the same values in
// every activity-go package.
var (
	ErrBodyTooLarge = core.ErrBodyTooLarge
	ErrTruncated    = core.ErrTruncated
)
