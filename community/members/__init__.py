"""Community members as Slack knows them, and the choices they make about pairing."""
