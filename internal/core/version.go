// Package core is the shared HTTP transport of activity-go: request building,
// authentication, retries, client-side rate limiting, typed errors and logging.
// Every provider package is a thin layer over it.
package core

// Version is the SDK version sent in the User-Agent header.
const Version = "0.1.0"
