package workiva

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

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
