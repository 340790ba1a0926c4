package activtrak

import (
	"context"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// DefaultBaseURL is the API host of the US region, used unless WithRegion or
// WithBaseURL says otherwise.
const DefaultBaseURL = "https://api.activtrak.com"

// EnvAPIKey is the environment variable NewClient reads the API key from when
// WithAPIKey is not given; surrounding white space is trimmed.
const EnvAPIKey = "ACTIVTRAK_API_KEY"

// Client calls the ActivTrak Live Data API. It is safe for concurrent use.
type Client struct {
	core        *core.Client
	earlyAccess bool
	now         func() time.Time // the clock deciding which working-hours days are final
	// wait, when set (by tests), replaces FollowActivityLog's timer: it
	// waits d or until ctx ends, and reports false when ctx ended.
	wait func(ctx context.Context, d time.Duration) bool
}

// options is what the options set. Option and the options every package
// shares (WithBaseURL, WithHTTPClient, ...) are in shared_gen.go, generated
// from internal/cmd/gensurface; this file holds the package's own.
type options struct {
	core        core.Settings
	key         core.Credential
	earlyAccess bool
}

// WithEarlyAccess selects the early-access contract of the Live Data API,
// for tenants still on it: the key goes as "Authorization: Bearer <key>"
// and the filters as userId and computerId (on every report). Without it the
// client follows the current public contract (ActivTrak's published OpenAPI
// document): the key in "x-api-key", the filters as clientId and deviceId
// (working hours by user take no deviceId, by computer no clientId), and
// MinDuration/MaxDuration on the activity log. Records decode the same way
// under both: ActivityLogEntry.Time is filled from whichever timestamp the
// answer carries.
func WithEarlyAccess() Option {
	return func(o *options) error {
		o.earlyAccess = true
		return nil
	}
}

// NewClient returns a Client. The API key comes from WithAPIKey or else the
// ACTIVTRAK_API_KEY environment variable; the host from WithBaseURL or
// WithRegion, else DefaultBaseURL (US).
func NewClient(opts ...Option) (*Client, error) {
	c, o, err := newCore(opts)
	if err != nil {
		return nil, err
	}
	return &Client{core: c, earlyAccess: o.earlyAccess, now: time.Now}, nil
}

// config is the core configuration of the package's clients: the key in
// x-api-key, or as a bearer token under WithEarlyAccess.
func (o *options) config(key string) (core.Config, error) {
	auth := core.APIKeyHeader("x-api-key", key)
	if o.earlyAccess {
		auth = core.BearerToken(key)
	}
	return core.Config{DefaultBaseURL: DefaultBaseURL, Auth: auth}, nil
}
