package workiva

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/core"
)

// TokenPath is the token endpoint's path below the base URL, used when
// WithTokenURL is not given.
const TokenPath = "/oauth2/token"

// tokenEarly is how long before expiry a cached token is renewed (at most: for
// short-lived tokens a tenth of their lifetime).
const tokenEarly = time.Minute

// WithClientCredentials sets the OAuth2 client id and secret. They are
// exchanged at the token endpoint (grant_type=client_credentials, in the form
// body, never HTTP Basic; see WithTokenURL) for bearer tokens that live about
// 10 minutes; tokens are cached, renewed before they expire and once more
// after a 401, so a long walk outlives many tokens. Without this option
// NewClient reads WORKIVA_CLIENT_ID and WORKIVA_CLIENT_SECRET. The secret
// never appears in errors or logs.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(o *options) error {
		if err := core.OptionCredential("workiva", "WithClientCredentials", "client id", clientID); err != nil {
			return err
		}
		if err := core.OptionCredential("workiva", "WithClientCredentials", "client secret", clientSecret); err != nil {
			return err
		}
		o.clientID, o.secret, o.credsSet = clientID, clientSecret, true
		return nil
	}
}

// WithTokenURL sets the token endpoint (default: the base URL + TokenPath,
// "/oauth2/token", the 2026-01-01 endpoint). It must be an absolute https URL
// (http only for loopback hosts) without user info or fragment.
//
// The token request is a form POST with grant_type=client_credentials,
// client_id, client_secret (in the body, not HTTP Basic) and scope when
// WithScopes is set, and carries X-Version: 2026-01-01 and the SDK's
// User-Agent. A URL whose path is the 2022-01-01 endpoint
// "/iam/v1/oauth2/token" is refused: that endpoint is deprecated (sunset
// 2029-01-31) and rejects X-Version 2026-01-01, so the pair would fail at the
// first request; use "{base}/oauth2/token".
func WithTokenURL(u string) Option {
	return func(o *options) error {
		if err := checkTokenURL(u); err != nil {
			return fmt.Errorf("workiva: WithTokenURL: %w", err)
		}
		o.tokenURL = u
		return nil
	}
}

// WithScopes sets the scopes requested at the token endpoint (the scope form
// field, space-separated). By default none is sent and the token carries the
// client's granted scopes; the Activities API needs "activity:read".
func WithScopes(scopes ...string) Option {
	return func(o *options) error {
		for _, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				return fmt.Errorf("workiva: WithScopes: invalid scope %q", s)
			}
		}
		o.scopes = append([]string(nil), scopes...)
		return nil
	}
}

func checkTokenURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// Not the *url.Error itself: it quotes the raw URL and its secrets.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("token URL does not parse: %w", err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return errors.New("token URL must be an absolute https URL")
	}
	if u.Scheme == "http" && !core.IsLoopback(u.Hostname()) {
		return fmt.Errorf("token URL %q: http:// is only allowed for loopback hosts; use https", core.SanitizeURL(u))
	}
	if u.User != nil {
		return errors.New("token URL must not carry user info; use WithClientCredentials")
	}
	if u.Fragment != "" {
		return errors.New("token URL must not have a fragment")
	}
	if strings.HasSuffix(strings.ToLower(strings.TrimRight(u.Path, "/")), legacyTokenPath) {
		return fmt.Errorf("token URL %q is the 2022-01-01 endpoint, which rejects X-Version %s; use %s",
			core.SanitizeURL(u), APIVersion, u.Scheme+"://"+u.Host+TokenPath)
	}
	return nil
}

// legacyTokenPath is the 2022-01-01 token endpoint's path.
const legacyTokenPath = "/iam/v1/oauth2/token"

// TokenError is a failed token exchange: the token endpoint answered with an
// error (StatusCode set, Code and Description from Workiva's IamError body) or
// could not be reached (StatusCode 0, the cause in Err).
//
// API calls return it wrapped in a *RequestError:
//
//	var te *workiva.TokenError
//	if errors.As(err, &te) && te.Code == "invalid_client" { ... }
//
// errors.Is(err, ErrUnauthorized) holds for a 401 or an invalid_client answer,
// ErrForbidden for 403, ErrRateLimited for 429. Its message never contains the
// client secret.
type TokenError struct {
	// StatusCode is the token endpoint's HTTP status, 0 when it gave no answer.
	StatusCode int
	// Code is the IamError "error" field: invalid_request, invalid_client,
	// unauthorized_client, access_denied, invalid_scope, server_error,
	// temporarily_unavailable, ...
	Code string
	// Description is the IamError "error_description" field.
	Description string
	// URI is the IamError "error_uri" field.
	URI string
	// Err is the cause when the endpoint could not be reached or its answer
	// could not be read (a connection error, a cancelled context); nil for an
	// error answer.
	Err error
}

func (e *TokenError) Error() string {
	var b strings.Builder
	b.WriteString("workiva: token endpoint")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	if e.URI != "" {
		b.WriteString(" (see ")
		b.WriteString(e.URI)
		b.WriteByte(')')
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause of a failure to reach the endpoint.
func (e *TokenError) Unwrap() error { return e.Err }

// Is matches the shared sentinels by status (and invalid_client as
// ErrUnauthorized).
func (e *TokenError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.Code == "invalid_client"
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// tokenAuth wraps the core's token auth so that a failed exchange surfaces as
// a *TokenError (inside the *core.AuthError the core expects). redact is the
// client's RedactString: the token endpoint may echo the client secret.
type tokenAuth struct {
	inner  core.Refresher
	redact func(string) string
}

func (a *tokenAuth) Authorization(ctx context.Context) (string, error) {
	v, err := a.inner.Authorization(ctx)
	if err != nil {
		return "", a.wrap(err)
	}
	return v, nil
}

func (a *tokenAuth) Invalidate(failed string) bool { return a.inner.Invalidate(failed) }

// SetClock implements core.ClockSetter for the token it wraps (tests).
func (a *tokenAuth) SetClock(now func() time.Time) {
	if cs, ok := a.inner.(core.ClockSetter); ok {
		cs.SetClock(now)
	}
}

func (a *tokenAuth) Secrets() []string {
	if s, ok := a.inner.(core.Secreter); ok {
		return s.Secrets()
	}
	return nil
}

func (a *tokenAuth) wrap(err error) error {
	var ae *core.AuthError
	if !errors.As(err, &ae) {
		// The request's context ended while waiting for a shared fetch.
		return &core.AuthError{Err: &TokenError{Err: err}}
	}
	te := &TokenError{}
	if status, code, desc, uri, ok := core.TokenEndpointError(ae.Err); ok {
		te.StatusCode, te.Code, te.Description, te.URI = status, a.redact(code), a.redact(desc), a.redact(uri)
		var re *oauth2.RetrieveError
		if te.Code == "" && te.Description == "" && errors.As(ae.Err, &re) && re.Response != nil {
			// Not the IamError shape (a gateway page): keep a short snippet.
			te.Description = a.redact(core.BodySnippet(re.Body, re.Response.Header.Get("Content-Type")))
		}
	} else {
		// Keep the message (it names the token URL) but not the *url.Error
		// itself, which the core would otherwise unwrap past this error.
		cause := ae.Err
		var ue *url.Error
		if errors.As(cause, &ue) {
			cause = ue.Err
		}
		te.Err = redactedError{err: cause, msg: a.redact(ae.Err.Error())}
	}
	return &core.AuthError{Err: te, Retryable: ae.Retryable}
}

// redactedError keeps the cause for errors.Is/As while its message has the
// secret removed.
type redactedError struct {
	err error
	msg string
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
