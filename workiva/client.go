package workiva

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/core"
)

// APIVersion is the API version this package speaks. It is sent as the
// X-Version header on every request; without it Workiva's gateway routes to
// the older 2022 API, whose paths and shapes differ.
const APIVersion = "2026-01-01"

// DefaultBaseURL is the US region's API host, used when neither WithBaseURL nor
// WithRegion is given.
const DefaultBaseURL = "https://api.app.wdesk.com"

// TokenPath is the token endpoint's path below the base URL, used when
// WithTokenURL is not given.
const TokenPath = "/oauth2/token"

// Region is a Workiva data region; each has its own API host.
type Region string

// The Workiva regions.
const (
	RegionUS   Region = "US"   // https://api.app.wdesk.com (the default)
	RegionEU   Region = "EU"   // https://api.eu.wdesk.com
	RegionAPAC Region = "APAC" // https://api.apac.wdesk.com
)

// BaseURL returns the region's API host, "" for an unknown region.
func (r Region) BaseURL() string {
	switch Region(strings.ToUpper(string(r))) {
	case RegionUS:
		return DefaultBaseURL
	case RegionEU:
		return "https://api.eu.wdesk.com"
	case RegionAPAC:
		return "https://api.apac.wdesk.com"
	}
	return ""
}

// tokenEarly is how long before expiry a cached token is renewed (at most: for
// short-lived tokens a tenth of their lifetime).
const tokenEarly = time.Minute

// Client calls the Workiva Activities API. It is safe for concurrent use.
type Client struct {
	core *core.Client
}

// Option configures a Client. An invalid value makes NewClient fail.
type Option func(*options) error

type options struct {
	core     core.Settings
	clientID string
	secret   string
	credsSet bool
	source   oauth2.TokenSource
	tokenURL string
	region   Region
	scopes   []string
}

// WithBaseURL sets the API's base URL (a test server, say). http:// is accepted
// only for loopback hosts; everything else must be https. It cannot be
// combined with WithRegion.
func WithBaseURL(u string) Option { return func(o *options) error { return o.core.SetBaseURL(u) } }

// WithRegion selects the region's API host: RegionUS (the default), RegionEU
// or RegionAPAC. It cannot be combined with WithBaseURL.
func WithRegion(r Region) Option {
	return func(o *options) error {
		if r.BaseURL() == "" {
			return fmt.Errorf("workiva: WithRegion: unknown region %q (use RegionUS, RegionEU or RegionAPAC)", string(r))
		}
		o.region = r
		return nil
	}
}

// WithHTTPClient sets the HTTP client (timeouts, proxies, tracing). The client
// is copied, never modified. The token exchange uses it too.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) error { return o.core.SetHTTPClient(c) }
}

// WithUserAgent appends ua to the User-Agent "activity-go/<version>".
func WithUserAgent(ua string) Option {
	return func(o *options) error { return o.core.SetUserAgent(ua) }
}

// WithRetryPolicy sets how requests are retried. See RetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) error { return o.core.SetRetryPolicy(p) }
}

// WithLogger sets the logger for request, retry and wait events. Credentials
// are never logged. nil means silent (the default).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.core.SetLogger(l) } }

// WithMaxBodyBytes caps the body of a successful answer at n bytes, counted
// after decompression (a gzip answer is measured as it inflates). The default
// is 32 MiB (core's DefaultMaxBodyBytes), well above any page the API sends. A
// body past the cap is not read further: the call fails with a *RequestError
// wrapping ErrBodyTooLarge that names the limit, and is not retried. Memory
// stays bounded whatever a server sends. Error answers are always cut at 1 MiB
// whatever n is. n must be positive.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error { return o.core.SetMaxBodyBytes(n) }
}

// WithRateLimit sets a client-side limit of perSecond requests with the given
// burst. Every request, page, retry and token exchange waits on it, within its
// context.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.core.SetRateLimit(perSecond, burst) }
}

// WithReadAhead makes list pagers fetch up to pages pages (0..16) ahead of the
// caller while it handles the current one. 0 (the default) turns it off.
func WithReadAhead(pages int) Option {
	return func(o *options) error { return o.core.SetReadAhead(pages) }
}

// WithClientCredentials sets the OAuth2 client id and secret. They are
// exchanged at the token endpoint (HTTP Basic, grant_type=client_credentials)
// for bearer tokens that live about 10 minutes; tokens are cached, renewed
// before they expire and once more after a 401, so a long walk outlives many
// tokens. Without this option NewClient reads WORKIVA_CLIENT_ID and
// WORKIVA_CLIENT_SECRET. The secret never appears in errors or logs.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(o *options) error {
		if strings.TrimSpace(clientID) == "" {
			return errors.New("workiva: WithClientCredentials: client id is empty")
		}
		if clientSecret == "" {
			return errors.New("workiva: WithClientCredentials: client secret is empty")
		}
		o.clientID, o.secret, o.credsSet = clientID, clientSecret, true
		return nil
	}
}

// WithTokenSource uses ts for bearer tokens instead of client credentials (a
// token your program already manages). The source's own caching decides when
// it refreshes; after a 401 the request is retried once with the source's
// next token. Wrap it with oauth2.ReuseTokenSource if it does not cache.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(o *options) error {
		if ts == nil {
			return errors.New("workiva: WithTokenSource: token source is nil")
		}
		o.source = ts
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

// NewClient returns a Client.
//
// Credentials come from WithClientCredentials or WithTokenSource (not both),
// or else from the WORKIVA_CLIENT_ID and WORKIVA_CLIENT_SECRET environment
// variables. The base URL comes from WithBaseURL or WithRegion (not both),
// else DefaultBaseURL (US). Every request carries X-Version: 2026-01-01.
func NewClient(opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, core.PrefixError("workiva", err)
		}
	}
	if o.credsSet && o.source != nil {
		return nil, errors.New("workiva: use either WithClientCredentials or WithTokenSource, not both")
	}
	if o.region != "" && o.core.BaseURLSet() {
		return nil, errors.New("workiva: use either WithBaseURL or WithRegion, not both")
	}
	if o.source == nil && !o.credsSet {
		id, secret := os.Getenv("WORKIVA_CLIENT_ID"), os.Getenv("WORKIVA_CLIENT_SECRET")
		switch {
		case id == "" && secret == "":
			return nil, errors.New("workiva: no credentials: use WithClientCredentials or WithTokenSource, " +
				"or set WORKIVA_CLIENT_ID and WORKIVA_CLIENT_SECRET")
		case id == "":
			return nil, errors.New("workiva: WORKIVA_CLIENT_SECRET is set but WORKIVA_CLIENT_ID is empty")
		case secret == "":
			return nil, errors.New("workiva: WORKIVA_CLIENT_ID is set but WORKIVA_CLIENT_SECRET is empty")
		}
		o.clientID, o.secret = id, secret
	}
	base := DefaultBaseURL
	if o.region != "" {
		base = o.region.BaseURL()
	}
	cfg := core.Config{
		Provider:       "workiva",
		Settings:       o.core,
		DefaultBaseURL: base,
		Header:         http.Header{"X-Version": {APIVersion}},
	}
	var c *core.Client // set below, before any request is made
	redact := func(s string) string { return c.RedactString(s) }
	cfg.NewError = newAPIError
	if o.secret != "" {
		// The secret travels form-escaped in the token request's body; the
		// Basic form (base64 of "id:secret") is redacted too, should a
		// server echo it.
		escaped := url.QueryEscape(o.secret)
		cfg.Secrets = []string{o.secret,
			base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(o.clientID) + ":" + escaped))}
		if escaped != o.secret {
			cfg.Secrets = append(cfg.Secrets, escaped)
		}
	}
	if o.source != nil {
		cfg.Auth = &tokenAuth{inner: core.NewTokenSourceAuth(o.source), redact: redact}
	} else {
		cfg.NewAuth = func(hc *http.Client) (core.Auth, error) {
			tokenURL := o.tokenURL
			if tokenURL == "" {
				b := o.core.BaseURL
				if b == "" {
					b = base
				}
				tokenURL = strings.TrimRight(b, "/") + TokenPath
			}
			// The token request speaks the same API version as the rest,
			// and names the SDK like every other request.
			header := http.Header{"X-Version": {APIVersion}, "User-Agent": {o.core.FullUserAgent()}}
			fetch := core.ClientCredentials(tokenURL, o.clientID, o.secret, o.scopes, header, hc)
			return &tokenAuth{inner: core.NewCachedToken(fetch, tokenEarly),
				redact: redact}, nil
		}
	}
	var err error
	if c, err = core.New(cfg); err != nil {
		return nil, err
	}
	return &Client{core: c}, nil
}
