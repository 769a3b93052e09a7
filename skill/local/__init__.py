"""Developer tools that never ship in the Lambda package: NLU, chat, replay, embedded DynamoDB."""
