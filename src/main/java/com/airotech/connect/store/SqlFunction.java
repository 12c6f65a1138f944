package com.airotech.connect.store;

import java.sql.SQLException;

@FunctionalInterface
public interface SqlFunction<I, O> {
    O apply(I input) throws SQLException;
}
