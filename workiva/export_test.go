package workiva

import "time"

// WithClock is a test hook (compiled only into this package's tests): the
// client's clock for token expiry and renewal, retry deadlines and the rate
// limit's decisions, so that a test moves time instead of sleeping.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		o.core.Clock = now
		return nil
	}
}
