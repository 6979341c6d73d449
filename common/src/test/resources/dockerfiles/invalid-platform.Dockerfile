FROM --platform=bogus alpine
