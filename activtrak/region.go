package activtrak

import "fmt"

// Region selects the ActivTrak data region, and with it the API host. The
// regional hosts other than US are those reported by integrators; the
// ActivTrak documentation names only api.activtrak.com.
type Region string

// The regions. RegionUS is the default.
const (
	RegionUS Region = "us" // https://api.activtrak.com
	RegionEU Region = "eu" // https://api-eu.activtrak.com
	RegionUK Region = "uk" // https://api-uk.activtrak.com
	RegionCA Region = "ca" // https://api-ca.activtrak.com
	RegionAU Region = "au" // https://api-au.activtrak.com
)

// BaseURL returns the region's API base URL, or "" for an unknown region.
func (r Region) BaseURL() string {
	switch r {
	case RegionUS:
		return DefaultBaseURL
	case RegionEU, RegionUK, RegionCA, RegionAU:
		return "https://api-" + string(r) + ".activtrak.com"
	}
	return ""
}

func (r Region) check() error {
	if r.BaseURL() == "" {
		return fmt.Errorf("activtrak: WithRegion: unknown region %q (want one of us, eu, uk, ca, au)", string(r))
	}
	return nil
}
