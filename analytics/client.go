package analytics

import (
	"github.com/activitysdk/activity-go/internal/core"
)

// DefaultBaseURL is the base URL of the seed's example deployment. Real
// deployments set their own with WithBaseURL or ANALYTICS_BASE_URL.
const DefaultBaseURL = "https://api.example.com/v2"

// Environment variables read by NewClient when the matching option is not
// given. Surrounding white space is trimmed from their values.
const (
	// EnvToken holds the API token (WithToken).
	EnvToken = "ANALYTICS_API_TOKEN"
	// EnvBaseURL holds the base URL (WithBaseURL).
	EnvBaseURL = "ANALYTICS_BASE_URL"
)

// Client calls the analytics API. It is safe for concurrent use.
type Client struct {
	core *core.Client
}

// options is what the options set. Option and the options every package
// shares (WithBaseURL, WithHTTPClient, ...) are in shared_gen.go, generated
// from internal/cmd/gensurface; this file holds the package's own.
type options struct {
	core  core.Settings
	token core.Credential
}

// NewClient returns a Client. Credentials come from WithToken or else the
// ANALYTICS_API_TOKEN environment variable; the base URL from WithBaseURL,
// else ANALYTICS_BASE_URL, else DefaultBaseURL.
func NewClient(opts ...Option) (*Client, error) {
	c, _, err := newCore(opts)
	if err != nil {
		return nil, err
	}
	return &Client{core: c}, nil
}

// config is the core configuration of the package's clients: the token as
// a bearer token.
func (o *options) config(token string) (core.Config, error) {
	return core.Config{DefaultBaseURL: DefaultBaseURL, Auth: core.BearerToken(token)}, nil
}
