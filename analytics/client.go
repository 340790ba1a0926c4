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

// WithToken sets the API token, sent as "Authorization: Bearer <token>". An
// empty token, or one with a space or a control character, is an error.
// Without it NewClient reads ANALYTICS_API_TOKEN.
func WithToken(token string) Option {
	return func(o *options) error { return o.token.Set("analytics", "WithToken", "token", token, nil) }
}

// NewClient returns a Client. Credentials come from WithToken or else the
// ANALYTICS_API_TOKEN environment variable; the base URL from WithBaseURL,
// else ANALYTICS_BASE_URL, else DefaultBaseURL.
func NewClient(opts ...Option) (*Client, error) {
	var o options
	if err := core.Apply("analytics", &o, opts); err != nil {
		return nil, err
	}
	token, err := o.token.Resolve("analytics", EnvToken, "token", "use WithToken or set "+EnvToken, nil)
	if err != nil {
		return nil, err
	}
	if err := o.core.EnvBaseURL("analytics", EnvBaseURL, nil); err != nil {
		return nil, err
	}
	c, err := core.New(core.Config{
		Provider:       "analytics",
		Settings:       o.core,
		DefaultBaseURL: DefaultBaseURL,
		Auth:           core.BearerToken(token),
		NewError:       newAPIError,
	})
	if err != nil {
		return nil, err
	}
	return &Client{core: c}, nil
}
