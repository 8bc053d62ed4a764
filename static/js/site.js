// Site-wide behaviour. Every page works without this file; it only adds conveniences.
