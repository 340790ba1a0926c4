package sdelements

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/activitysdk/activity-go/internal/core"
)

// Environment variables read by NewClient when the matching option is not
// given. Surrounding white space is trimmed from their values.
const (
	// EnvToken holds the API token (WithToken).
	EnvToken = "SDE_API_TOKEN"
	// EnvBaseURL holds the instance URL (WithBaseURL).
	EnvBaseURL = "SDE_BASE_URL"
)

// Client calls the activities endpoints of one SD Elements instance. It is
// safe for concurrent use.
type Client struct {
	core *core.Client
	// listPath is the escaped path of the activities list, base path
	// included, which every next link must keep.
	listPath string
}

// options is what the options set. Option and the options every package
// shares (WithBaseURL, WithHTTPClient, ...) are in shared_gen.go, generated
// from internal/cmd/gensurface; this file holds the package's own.
type options struct {
	core  core.Settings
	token core.Credential
}

// WithBaseURL sets the URL of the SD Elements instance, such as
// "https://sde.example.com". There is no default: every customer has its own
// instance. A URL that already ends in "/api/v2" is accepted and the suffix
// removed, so "https://sde.example.com/api/v2" and "https://sde.example.com"
// are the same instance; any other path (an instance behind a path prefix)
// is kept. http:// is accepted only for loopback hosts (tests); everything
// else must be https. Without this option NewClient reads SDE_BASE_URL.
func WithBaseURL(u string) Option {
	return func(o *options) error { return setInstanceURL(&o.core, u) }
}

// setInstanceURL validates u and stores it without a trailing "/api/v2".
func setInstanceURL(s *core.Settings, raw string) error {
	u, err := core.ParseBaseURL(raw)
	if err != nil {
		return fmt.Errorf("sdelements: WithBaseURL: %w", err)
	}
	const suffix = "/api/v2"
	if strings.HasSuffix(strings.ToLower(u.Path), suffix) {
		u.Path = u.Path[:len(u.Path)-len(suffix)]
		if strings.HasSuffix(strings.ToLower(u.RawPath), suffix) {
			u.RawPath = u.RawPath[:len(u.RawPath)-len(suffix)]
		} else {
			u.RawPath = ""
		}
	}
	if err := s.SetBaseURL(u.String()); err != nil {
		return fmt.Errorf("sdelements: WithBaseURL: %w", err)
	}
	return nil
}

// NewClient returns a Client for one instance. The token comes from WithToken
// or else SDE_API_TOKEN; the instance URL from WithBaseURL or else
// SDE_BASE_URL. Both are required: with neither source set NewClient fails
// with an error naming the option and the variable.
func NewClient(opts ...Option) (*Client, error) {
	c, _, err := newCore(opts)
	if err != nil {
		return nil, err
	}
	return &Client{core: c, listPath: c.BaseURL().EscapedPath() + activitiesPath}, nil
}

// config is the core configuration of the package's clients: the token in
// "Authorization: Token", JSON answers asked for, and an instance URL
// required (there is no default host).
func (o *options) config(token string) (core.Config, error) {
	if !o.core.BaseURLSet() {
		return core.Config{}, errors.New("sdelements: no instance URL: use WithBaseURL or set " + EnvBaseURL +
			" (for example https://sde.example.com)")
	}
	return core.Config{
		Auth:   core.SchemeToken("Token", token),
		Header: http.Header{"Accept": {"application/json"}},
	}, nil
}

// activitiesPath is the list path below the instance URL. SD Elements paths
// end in a slash.
var activitiesPath = core.Path("api", "v2", "activities") + "/"

// BaseURL returns the instance URL the client calls, without "/api/v2".
func (c *Client) BaseURL() string { return c.core.BaseURL().String() }
