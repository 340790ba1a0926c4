package workiva

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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

// Environment variables read by NewClient when neither WithClientCredentials
// nor WithTokenSource is given. Surrounding white space is trimmed from their
// values.
const (
	EnvClientID     = "WORKIVA_CLIENT_ID"
	EnvClientSecret = "WORKIVA_CLIENT_SECRET"
)

// TokenPath is the token endpoint's path below the base URL, used when
// WithTokenURL is not given.
const TokenPath = "/oauth2/token"

// tokenEarly is how long before expiry a cached token is renewed (at most: for
// short-lived tokens a tenth of their lifetime).
const tokenEarly = time.Minute

// Client calls the Workiva Activities API. It is safe for concurrent use.
type Client struct {
	core *core.Client
}

// options is what the options set. Option and the options every package
// shares (WithBaseURL, WithHTTPClient, ...) are in shared_gen.go, generated
// from internal/cmd/gensurface; this file holds the package's own.
type options struct {
	core     core.Settings
	clientID string
	secret   string
	credsSet bool
	source   oauth2.TokenSource
	tokenURL string
	scopes   []string
}

// WithClientCredentials sets the OAuth2 client id and secret. They are
// exchanged at the token endpoint (HTTP Basic, grant_type=client_credentials)
// for bearer tokens that live about 10 minutes; tokens are cached, renewed
// before they expire and once more after a 401, so a long walk outlives many
// tokens. Without this option NewClient reads WORKIVA_CLIENT_ID and
// WORKIVA_CLIENT_SECRET. The secret never appears in errors or logs.
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

// NewClient returns a Client.
//
// Credentials come from WithClientCredentials or WithTokenSource (not both),
// or else from the WORKIVA_CLIENT_ID and WORKIVA_CLIENT_SECRET environment
// variables. The base URL comes from WithBaseURL or WithRegion (not both),
// else DefaultBaseURL (US). Every request carries X-Version: 2026-01-01.
func NewClient(opts ...Option) (*Client, error) {
	c, _, err := newCore(opts)
	if err != nil {
		return nil, err
	}
	return &Client{core: c}, nil
}

// config is the core configuration of the package's clients: the client
// credentials (options, else the environment) exchanged for tokens at the
// token endpoint, or a token source's tokens; X-Version on every request.
func (o *options) config() (core.Config, error) {
	if o.credsSet && o.source != nil {
		return core.Config{}, errors.New("workiva: use either WithClientCredentials or WithTokenSource, not both")
	}
	if o.source == nil && !o.credsSet {
		id, err := core.EnvCredential("workiva", EnvClientID, "client id")
		if err != nil {
			return core.Config{}, err
		}
		secret, err := core.EnvCredential("workiva", EnvClientSecret, "client secret")
		if err != nil {
			return core.Config{}, err
		}
		switch {
		case id == "" && secret == "":
			return core.Config{}, errors.New("workiva: no credentials: use WithClientCredentials or WithTokenSource, " +
				"or set " + EnvClientID + " and " + EnvClientSecret)
		case id == "":
			return core.Config{}, errors.New("workiva: " + EnvClientSecret + " is set but " + EnvClientID + " is empty")
		case secret == "":
			return core.Config{}, errors.New("workiva: " + EnvClientID + " is set but " + EnvClientSecret + " is empty")
		}
		o.clientID, o.secret = id, secret
	}
	base := o.core.ResolvedBaseURL(DefaultBaseURL)
	cfg := core.Config{
		DefaultBaseURL: base,
		Header:         http.Header{"X-Version": {APIVersion}},
	}
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
	cfg.NewAuth = func(hc *http.Client, redact func(string) string) (core.Auth, error) {
		if o.source != nil {
			return &tokenAuth{inner: core.NewTokenSourceAuth(o.source), redact: redact}, nil
		}
		tokenURL := o.tokenURL
		if tokenURL == "" {
			tokenURL = strings.TrimRight(base, "/") + TokenPath
		}
		// The token request speaks the same API version as the rest, and
		// names the SDK like every other request.
		header := http.Header{"X-Version": {APIVersion}, "User-Agent": {o.core.FullUserAgent()}}
		fetch := core.ClientCredentials(tokenURL, o.clientID, o.secret, o.scopes, header, hc)
		return &tokenAuth{inner: core.NewCachedToken(fetch, tokenEarly), redact: redact}, nil
	}
	return cfg, nil
}
