package activtrak

import "time"

// SetClock sets the clock that decides which working-hours days are final.
func SetClock(c *Client, now func() time.Time) { c.now = now }
