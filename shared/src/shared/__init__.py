"""careloop's common library; it holds no business rule of any one service."""
